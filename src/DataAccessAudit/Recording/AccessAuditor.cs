using System.Diagnostics;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using NodaTime;

namespace DataAccessAudit.Recording;

/// <summary>The auditor: evaluates on the caller's thread, then enqueues for the background writer.</summary>
internal sealed class AccessAuditor : IAccessAuditor
{
    private readonly AccessPolicy _policy;
    private readonly IClock _clock;
    private readonly RecordingQueue _queue;
    private readonly TelemetryInstruments? _diagnostics;

    public AccessAuditor(AccessPolicy policy, IClock clock, RecordingQueue queue, TelemetryInstruments? diagnostics = null)
    {
        _policy = policy;
        _clock = clock;
        _queue = queue;
        _diagnostics = diagnostics;
    }

    public AccessDecision Record(AccessEvent accessEvent)
    {
        ArgumentNullException.ThrowIfNull(accessEvent);
        var decision = _policy.Evaluate(accessEvent);
        _queue.Enqueue(new AccessRecord(accessEvent, decision));
        _diagnostics?.OnRecorded(accessEvent, decision);
        return decision;
    }

    public AccessDecision Record(Requester requester, AccessedResource resource, string action) =>
        Record(requester, resource, action, default);

    public AccessDecision Record(Requester requester, AccessedResource resource, string action, AccessDetails details)
    {
        var now = _clock.GetCurrentInstant();
        var traceId = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null;
        return Record(new AccessEvent(AccessEventId.New(now), now, requester, resource, action)
        {
            Approval = details.Approval,
            Purpose = details.Purpose,
            SubjectKeys = details.SubjectKeys ?? [],
            Subjects = details.Subjects,
            TraceId = traceId,
        });
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _queue.FlushAsync(cancellationToken);
}
