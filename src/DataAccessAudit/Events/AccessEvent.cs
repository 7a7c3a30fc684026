using NodaTime;

namespace DataAccessAudit.Events;

/// <summary>
/// One access to personal data: who read what, from where, when, and under which approval.
/// Every field of the <c>access-event/1</c> interchange format has a property here.
/// </summary>
public sealed class AccessEvent
{
    private readonly int _subjects = 1;

    /// <summary>Creates an event.</summary>
    /// <param name="id">A unique id; the library writes UUID v7 (see <see cref="AccessEventId"/>), imports keep theirs.</param>
    /// <param name="time">The instant of the access.</param>
    /// <param name="requester">Who accessed, and from where.</param>
    /// <param name="resource">What was accessed.</param>
    /// <param name="action">The verb: <c>read</c>, <c>write</c>, <c>export</c>, <c>delete</c> or another.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="action"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="requester"/> or <paramref name="resource"/> is null.</exception>
    public AccessEvent(string id, Instant time, Requester requester, AccessedResource resource, string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(requester);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(action);
        Id = id;
        Time = time;
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

    /// <summary>Gets how many distinct people's data the access touched (1 unless set; a bulk export touches many).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is less than 1.</exception>
    public int Subjects
    {
        get => _subjects;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _subjects = value;
        }
    }

    /// <summary>Gets the stated business purpose, if any.</summary>
    public string? Purpose { get; init; }

    /// <summary>Gets the approval granted before the access, if any.</summary>
    public Approval? Approval { get; init; }

    /// <summary>Gets the W3C trace id of the request that made the access, if any.</summary>
    public string? TraceId { get; init; }

    /// <summary>Returns a short description.</summary>
    /// <returns>The id, requester, action and resource.</returns>
    public override string ToString() => $"{Id}: {Requester} {Action} {Resource} at {Time}";
}
