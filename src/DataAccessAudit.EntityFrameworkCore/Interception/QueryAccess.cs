using DataAccessAudit.Events;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// The rows of one entity type and home region read by the query in flight: the event it will be recorded as (made,
/// and judged, at its first row) and the distinct people read so far.
/// </summary>
internal sealed class QueryAccess(AccessEvent first, bool pseudonymous)
{
    private readonly HashSet<object> _subjects = new(SubjectComparer.Instance);

    public AccessEvent First { get; } = first;

    /// <summary>Gets a value indicating whether the people were told apart by their <see cref="SubjectKeyAttribute"/> values, which may be pseudonymised.</summary>
    public bool Pseudonymous { get; } = pseudonymous;

    public int Subjects => _subjects.Count;

    /// <summary>Gets the distinct pseudonymous tokens of the people read.</summary>
    public string[] Pseudonyms(Func<object, string> pseudonym)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subject in _subjects)
        {
            tokens.Add(pseudonym(subject));
        }

        return [.. tokens];
    }

    public void Add(object subject) => _subjects.Add(subject);

    public void Absorb(QueryAccess other) => _subjects.UnionWith(other._subjects);
}
