using System.Diagnostics;
using DataAccessAudit.AspNetCore;
using DataAccessAudit.AspNetCore.Requesters;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using NodaTime;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// Records one request to an audited endpoint, for both the endpoint filter and the action filter: resolves the
/// requester, builds the event, records it and says whether the handler may run.
/// </summary>
internal sealed class HttpAccessRecorder
{
    private readonly IAccessAuditor _auditor;
    private readonly IClock _clock;
    private readonly HttpRequesterResolver _requesters;
    private readonly Region? _defaultDataRegion;
    private readonly Region? _storedIn;

    public HttpAccessRecorder(IAccessAuditor auditor, AccessPolicy policy, IClock clock, HttpRequesterResolver requesters, IOptions<HttpAuditOptions> options)
    {
        _auditor = auditor;
        Policy = policy;
        _clock = clock;
        _requesters = requesters;
        var settings = options.Value;
        _defaultDataRegion = settings.DefaultDataRegion is { } home ? Region.Parse(home) : null;
        _storedIn = settings.StoredIn is { } storedIn ? Region.Parse(storedIn) : null;
    }

    public AccessPolicy Policy { get; }

    /// <summary>Records the request's access; returns the response to send instead of running the handler, or null to run it.</summary>
    public IResult? Record(HttpContext context, EndpointAccess access)
    {
        // Whatever the response turns out to be, it answers this requester only: a copy served to someone else
        // would be an access nobody recorded.
        OutputCacheGuard.PreventStorage(context);
        if (!access.TryGetDataRegion(context, _defaultDataRegion, out var dataRegion, out var problem) ||
            !access.TryGetStoredIn(context, _storedIn, out var storedIn, out problem))
        {
            return AccessRefusal.BadRegion(problem!);
        }

        AccessEvent accessEvent;
        try
        {
            var resource = new AccessedResource(access.ResourceId(context), access.Category, dataRegion)
            {
                Type = access.ResourceType,
                StoredIn = storedIn,
            };
            var now = _clock.GetCurrentInstant();
            accessEvent = new AccessEvent(AccessEventId.New(now), now, _requesters.Resolve(context), resource, access.Action)
            {
                Purpose = access.Purpose,
                TraceId = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null,
            };
        }
        catch (ArgumentException exception)
        {
            // Text from the request (a claim, a route value) that no event can hold unchanged, such as U+0000 in a
            // token's subject: answered before the handler runs, as a bad request rather than a 500.
            return AccessRefusal.Unrecordable(exception.Message);
        }

        var decision = _auditor.Record(accessEvent);
        return decision.IsDenied ? AccessRefusal.Denied(accessEvent, decision, context) : null;
    }

    /// <summary>The refusal for an access the policy denied further down, such as a database query of the handler.</summary>
    public static IResult? Refusal(Exception exception, HttpContext context) =>
        exception is AccessDeniedException { AccessEvent: { } accessEvent } denied && !context.Response.HasStarted
            ? AccessRefusal.Denied(accessEvent, denied.Decision, context)
            : null;
}
