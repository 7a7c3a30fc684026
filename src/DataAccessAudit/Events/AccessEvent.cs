using NodaTime;

namespace DataAccessAudit.Events;

/// <summary>
/// One access to personal data: who read what, from where, when, and under which approval.
/// Every field of the <c>access-event/1</c> interchange format has a property here.
/// </summary>
/// <remarks>
/// Every string of an event (and of its <see cref="Requester"/>, <see cref="AccessedResource"/>, <see cref="Approval"/>
/// and category) must be text that every store and reader of the log holds unchanged: one holding U+0000 (which
/// PostgreSQL text refuses) or a UTF-16 surrogate without its pair (which UTF-8 cannot encode) is refused where it is
/// given, with an <see cref="ArgumentException"/> naming the parameter or property and the index of the character,
/// rather than changed or refused later when it is written.
/// </remarks>
public sealed class AccessEvent
{
    /// <summary>The largest <see cref="Subjects"/>: 2^53-1, the largest integer every JSON reader holds exactly.</summary>
    public const long MaxSubjects = (1L << 53) - 1;

    private readonly long? _subjects;
    private readonly System.Collections.ObjectModel.ReadOnlyCollection<string> _subjectKeys = System.Collections.ObjectModel.ReadOnlyCollection<string>.Empty;

    /// <summary>Creates an event.</summary>
    /// <param name="id">A unique id; the library writes UUID v7 (see <see cref="AccessEventId"/>), imports keep theirs.</param>
    /// <param name="time">The instant of the access.</param>
    /// <param name="requester">Who accessed, and from where.</param>
    /// <param name="resource">What was accessed.</param>
    /// <param name="action">The verb: <c>read</c>, <c>write</c>, <c>export</c>, <c>delete</c> or another.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="id"/> or <paramref name="action"/> is null or empty, or holds U+0000 or an unpaired surrogate.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="requester"/> or <paramref name="resource"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="time"/> is before year 0001, which the log cannot hold (NodaTime's instants reach back to year -9998).
    /// </exception>
    public AccessEvent(string id, Instant time, Requester requester, AccessedResource resource, string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(requester);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(action);
        EventText.Check(id, nameof(id), "The event id");
        EventText.Check(action, nameof(action), "The action");
        Id = id;
        Time = EventTime.Check(time, nameof(time), "The event time");
        Requester = requester;
        Resource = resource;
        Action = action;
    }

    /// <summary>Gets the event's unique id.</summary>
    public string Id { get; }

    /// <summary>Gets the instant of the access.</summary>
    public Instant Time { get; }

    /// <summary>Gets who accessed, and from where.</summary>
    public Requester Requester { get; }

    /// <summary>Gets what was accessed.</summary>
    public AccessedResource Resource { get; }

    /// <summary>Gets the verb: <c>read</c>, <c>write</c>, <c>export</c>, <c>delete</c> or another.</summary>
    public string Action { get; }

    /// <summary>
    /// Gets how many people's data the access touched: a count of person-records, an upper bound of distinct people
    /// (a bulk export touches many). Unless set, it is the number of <see cref="SubjectKeys"/>, or 1 when there are none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is less than 1 or more than <see cref="MaxSubjects"/>.</exception>
    public long Subjects
    {
        get => _subjects ?? Math.Max(1, _subjectKeys.Count);
        init
        {
            if (value is < 1 or > MaxSubjects)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(Subjects),
                    value,
                    "Subjects is the number of people whose data the access touched: expected an integer from 1 to 2^53-1.");
            }

            _subjects = value;
        }
    }

    /// <summary>
    /// Gets the pseudonymous keys of the people whose data the access touched (HMAC tokens, never raw ids), so that
    /// distinct people can be counted across events; empty when none were recorded.
    /// </summary>
    /// <remarks>
    /// The list is a copy taken when the event is built, so the event stays immutable. Keys are kept in the order
    /// given; a key listed twice is kept twice (distinct counting removes repeats).
    /// </remarks>
    /// <exception cref="ArgumentException">A key set is null or empty, or holds U+0000 or an unpaired surrogate.</exception>
    public IReadOnlyList<string> SubjectKeys
    {
        get => _subjectKeys;
        init
        {
            if (value is null || value.Count == 0)
            {
                _subjectKeys = System.Collections.ObjectModel.ReadOnlyCollection<string>.Empty;
                return;
            }

            _subjectKeys = Array.AsReadOnly(EventText.CheckAll(value, nameof(SubjectKeys), "Subject key", "a non-empty pseudonymous key"));
        }
    }

    /// <summary>Gets the stated business purpose, if any.</summary>
    /// <exception cref="ArgumentException">The value set holds U+0000 or an unpaired surrogate.</exception>
    public string? Purpose { get; init => field = EventText.Check(value, nameof(Purpose), "The purpose"); }

    /// <summary>Gets the approval granted before the access, if any.</summary>
    public Approval? Approval { get; init; }

    /// <summary>Gets the W3C trace id of the request that made the access, if any.</summary>
    /// <exception cref="ArgumentException">The value set holds U+0000 or an unpaired surrogate.</exception>
    public string? TraceId { get; init => field = EventText.Check(value, nameof(TraceId), "The trace id"); }

    /// <summary>Returns a short description.</summary>
    /// <returns>The id, requester, action and resource.</returns>
    public override string ToString() => $"{Id}: {Requester} {Action} {Resource} at {Time}";
}
