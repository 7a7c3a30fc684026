using System.Diagnostics;
using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using DataAccessAudit.AspNetCore;
using DataAccessAudit.AspNetCore.Endpoints;
using DataAccessAudit.AspNetCore.Requesters;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using NodaTime;

namespace DataAccessAudit.Benchmarks.AspNetCore;

/// <summary>
/// The audited endpoint's own cost per request (resolving the requester from claims, building the event from the
/// declaration and route values, evaluating the policy) against its peer: the hand-written call an app makes today
/// for the same access, building the same event. Both record into an auditor that only evaluates, so the queue is
/// measured elsewhere; the difference is what the filter adds.
/// </summary>
[MemoryDiagnoser]
public class EndpointFilterBenchmarks
{
    private readonly EvaluatingAuditor _auditor = new();
    private readonly SystemClock _clock = SystemClock.Instance;
    private readonly Region _us = Region.Parse("US");
    private DefaultHttpContext _context = null!;
    private HttpAccessRecorder _recorder = null!;
    private EndpointAccess _access = null!;
    private Activity _activity = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new HttpAuditOptions { DefaultDataRegion = "US", StoredIn = "US" });
        _recorder = new HttpAccessRecorder(_auditor, AccessPolicy.ProjectTexas, _clock, new HttpRequesterResolver(options, []), options);
        _access = EndpointAccess.Compile(
            new AuditedAccessAttribute("protected") { ResourceId = "user/{userId}/messages", ResourceType = "direct-message" },
            Taxonomy.ProjectTexas,
            "GET /users/{userId}/messages");
        _context = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "emp-1"), new Claim("region", "US"), new Claim("org", "TikTok US")], "test")),
        };
        _context.Request.RouteValues["userId"] = "8812";
        _activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
    }

    [GlobalCleanup]
    public void Cleanup() => _activity.Stop();

    [Benchmark(Baseline = true)]
    public AccessDecision HandWrittenRecord()
    {
        // What an endpoint writes by hand: the requester from its claims, the resource from the route, the event.
        var user = _context.User;
        var requester = new Requester(user.FindFirst("sub")!.Value, Region.Parse(user.FindFirst("region")!.Value))
        {
            Organization = user.FindFirst("org")?.Value,
        };
        var resource = new AccessedResource($"user/{_context.Request.RouteValues["userId"]}/messages", Taxonomy.Protected, _us)
        {
            Type = "direct-message",
            StoredIn = _us,
        };
        var now = _clock.GetCurrentInstant();
        return _auditor.Record(new AccessEvent(AccessEventId.New(now), now, requester, resource, "read")
        {
            TraceId = Activity.Current?.TraceId.ToHexString(),
        });
    }

    [Benchmark]
    public bool EndpointFilter()
    {
        // A new request: the requester is resolved again, not taken from the previous request's feature.
        _context.Features.Set<Requester>(null);
        return _recorder.Record(_context, _access) is null;
    }

    /// <summary>Evaluates and keeps nothing: the queue's cost is measured by the recording benchmarks.</summary>
    private sealed class EvaluatingAuditor : IAccessAuditor
    {
        public AccessDecision Record(AccessEvent accessEvent) => AccessPolicy.ProjectTexas.Evaluate(accessEvent);

        public AccessDecision Record(Requester requester, AccessedResource resource, string action) =>
            Record(requester, resource, action, default);

        public AccessDecision Record(Requester requester, AccessedResource resource, string action, AccessDetails details)
        {
            var now = SystemClock.Instance.GetCurrentInstant();
            return Record(new AccessEvent(AccessEventId.New(now), now, requester, resource, action));
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
