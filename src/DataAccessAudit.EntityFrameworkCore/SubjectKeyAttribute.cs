namespace DataAccessAudit.EntityFrameworkCore;

/// <summary>
/// Marks the property of an entity that names the person its data is about (a user id on a message, the key of a
/// user), so that a query's event counts the distinct people read rather than the rows.
/// </summary>
/// <remarks>
/// Without it, each distinct entity counts as one person: right for a table of people, an upper bound for a table of
/// their messages.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SubjectKeyAttribute : Attribute
{
}
