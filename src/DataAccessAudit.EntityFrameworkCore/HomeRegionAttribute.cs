namespace DataAccessAudit.EntityFrameworkCore;

/// <summary>
/// Marks the property of an entity that holds the home region of its data: the ISO 3166-1 alpha-2 code (a
/// <see cref="string"/>) or the <see cref="Regions.Region"/> of the person the record is about.
/// </summary>
/// <remarks>
/// Rows of one query with different home regions are recorded as one event per region, since an access event has one
/// data region. An entity without such a property takes <see cref="EntityAuditOptions.DefaultDataRegion"/>; an owned
/// type takes its owner's.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class HomeRegionAttribute : Attribute
{
}
