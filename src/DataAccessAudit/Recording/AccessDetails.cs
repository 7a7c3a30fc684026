using DataAccessAudit.Events;

namespace DataAccessAudit.Recording;

/// <summary>
/// The optional parts of an access recorded with
/// <see cref="IAccessAuditor.Record(Requester, AccessedResource, string, AccessDetails)"/>: the approval it relies
/// on, its purpose and how many (and which, by pseudonymous key) people's data it touches.
/// </summary>
/// <remarks>
/// A value rather than optional parameters, so that the auditor's interface can gain a detail without breaking
/// callers compiled against an earlier version. <c>default</c> states nothing: no approval, no purpose, one subject.
/// </remarks>
public readonly struct AccessDetails
{
    private readonly int _subjects;

    /// <summary>Gets the approval the access relies on, or null for none.</summary>
    public Approval? Approval { get; init; }

    /// <summary>Gets the stated business purpose, or null for none.</summary>
    public string? Purpose { get; init; }

    /// <summary>
    /// Gets the pseudonymous keys (HMAC tokens, never raw ids) of the people whose data the access touches, so that
    /// distinct people can be counted across accesses (the bulk-data thresholds); null for none.
    /// </summary>
    public IReadOnlyList<string>? SubjectKeys { get; init; }

    /// <summary>Gets how many distinct people's data the access touches: unless set, the number of <see cref="SubjectKeys"/>, or 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is less than 1.</exception>
    public int Subjects
    {
        get => _subjects == 0 ? Math.Max(1, SubjectKeys?.Count ?? 0) : _subjects;
        init
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(Subjects),
                    value,
                    "Subjects is the number of people whose data the access touches: expected 1 or more.");
            }

            _subjects = value;
        }
    }
}
