using DataAccessAudit.Events;

namespace DataAccessAudit.Policy;

/// <summary>
/// An access event together with the decision recorded for it: what the recording pipeline hands to sinks,
/// and what every reader (the file log, a plain <c>access-event/1</c> file) yields.
/// </summary>
/// <param name="Event">The event.</param>
/// <param name="Decision">The decision recorded with the event; null when the source recorded none
/// (a reader then evaluates the event with its own policy).</param>
public readonly record struct AccessRecord(AccessEvent Event, AccessDecision? Decision);
