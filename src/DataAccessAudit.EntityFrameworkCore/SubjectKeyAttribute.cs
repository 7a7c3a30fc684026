namespace DataAccessAudit.EntityFrameworkCore;

/// <summary>
/// Marks the property of an entity that names the person its data is about (a user id on a message, the key of a
/// user), so that a query's event counts the distinct people read rather than the rows.
/// </summary>
/// <remarks>
/// Without it, each distinct primary key counts as one person (each row, for a keyless entity type): right for a table
/// of people, an upper bound for a table of their messages. On an owned type's owner, it names the owned data's person
/// too.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SubjectKeyAttribute : Attribute
{
}
