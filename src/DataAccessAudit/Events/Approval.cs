using NodaTime;

namespace DataAccessAudit.Events;

/// <summary>
/// An exception granted before an access (for example by US Data Security), valid within an optional window.
/// </summary>
public sealed class Approval
{
    /// <summary>Creates an approval.</summary>
    /// <param name="id">The approval's id, such as a ticket number.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="id"/> is null or empty, or holds U+0000 or an unpaired surrogate (see <see cref="AccessEvent"/>).
    /// </exception>
    public Approval(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        EventText.Check(id, nameof(id), "The approval id");
        Id = id;
    }

    /// <summary>Gets the approval's id.</summary>
    public string Id { get; }

    /// <summary>Gets who approved, if known.</summary>
    /// <exception cref="ArgumentException">The value set holds U+0000 or an unpaired surrogate.</exception>
    public string? ApprovedBy { get; init => field = EventText.Check(value, nameof(ApprovedBy), "The approver"); }

    /// <summary>Gets the first instant at which the approval is valid (inclusive); none means valid since ever.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is before year 0001, which the log cannot hold.</exception>
    public Instant? ValidFrom { get; init => field = EventTime.Check(value, nameof(ValidFrom), "The approval's start"); }

    /// <summary>Gets the last instant at which the approval is valid (inclusive); none means valid for ever.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is before year 0001, which the log cannot hold.</exception>
    public Instant? ValidUntil { get; init => field = EventTime.Check(value, nameof(ValidUntil), "The approval's end"); }

    /// <summary>Tells whether the approval covers an instant: both bounds are inclusive.</summary>
    /// <param name="instant">The instant of the access.</param>
    /// <returns>True when <paramref name="instant"/> lies within the window.</returns>
    public bool IsValidAt(Instant instant) =>
        (ValidFrom is not { } from || instant >= from) && (ValidUntil is not { } until || instant <= until);

    /// <summary>Returns the id.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Id;
}
