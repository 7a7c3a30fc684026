using System.Diagnostics;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Recording;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Diagnostics;

// Activity listeners are process-wide: while one of these tests listens, no other test may start or observe activities.
[Collection(nameof(ActivityListeners))]
public sealed class TelemetryInstrumentsTracingTests : IDisposable
{
    private static readonly ActivitySource AppSource = new("DataAccessAudit.Tests.App");

    private readonly TelemetryInstruments _diagnostics = new(meterFactory: null, TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key), loggerFactory: null);
    private ActivityListener? _listener;

    public void Dispose()
    {
        _listener?.Dispose();
        _diagnostics.Dispose();
    }

    [Fact]
    public void OnRecorded_ListenerOnTheAuditSource_AddsAnAccessEventToTheCurrentActivity()
    {
        Listen(AuditTelemetry.ActivitySourceName, AppSource.Name);
        using var activity = AppSource.StartActivity("GET /users/{id}/messages")!;
        var access = TelemetryAccesses.CrossBorder();
        var decision = TelemetryAccesses.Decide(access);

        _diagnostics.OnRecorded(access, decision);

        var recorded = Assert.Single(activity.Events);
        Assert.Equal("data_access_audit.access", recorded.Name);
        Assert.Equal(access.Time.ToDateTimeOffset(), recorded.Timestamp);
        var tags = recorded.Tags.ToDictionary(tag => tag.Key, tag => tag.Value);
        Assert.Equal(access.Id, tags["data_access_audit.event.id"]);
        Assert.Equal("flagged", tags["data_access_audit.outcome"]);
        Assert.Equal(true, tags["data_access_audit.cross_border"]);
        Assert.Equal(decision.Findings.Select(f => f.Name), (string[])tags["data_access_audit.findings"]!);
        Assert.Equal("read", tags["data_access_audit.action"]);
        Assert.Equal("protected", tags["data_access_audit.data.category"]);
        Assert.Equal("CN", tags["data_access_audit.requester.region"]);
        Assert.Equal("US", tags["data_access_audit.data.region"]);
        Assert.Equal("project-texas/1", tags["data_access_audit.policy"]);
        Assert.Equal(TelemetryAccesses.Pseudonym(TelemetryAccesses.RawRequesterId, TelemetryAccesses.Key), tags["data_access_audit.requester.pseudonym"]);
        Assert.Equal(TelemetryAccesses.Pseudonym(TelemetryAccesses.RawResourceId, TelemetryAccesses.Key), tags["data_access_audit.resource.pseudonym"]);
        Assert.All(tags.Values, value => TelemetryAccesses.AssertNoRawId(value is string[] names ? string.Join(",", names) : value?.ToString()));
    }

    [Fact]
    public void OnRecorded_NoKeyConfigured_LeavesThePseudonymsOut()
    {
        using var diagnostics = new TelemetryInstruments(meterFactory: null, redactorProvider: null, loggerFactory: null);
        Listen(AuditTelemetry.ActivitySourceName, AppSource.Name);
        using var activity = AppSource.StartActivity("job")!;
        var access = TelemetryAccesses.CrossBorder();

        diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        var keys = Assert.Single(activity.Events).Tags.Select(tag => tag.Key).ToArray();
        Assert.DoesNotContain("data_access_audit.requester.pseudonym", keys);
        Assert.DoesNotContain("data_access_audit.resource.pseudonym", keys);
        Assert.Contains("data_access_audit.outcome", keys);
    }

    [Fact]
    public void OnRecorded_NobodyListensToTheAuditSource_LeavesTheActivityAlone()
    {
        Listen(AppSource.Name);
        using var activity = AppSource.StartActivity("job")!;
        var access = TelemetryAccesses.CrossBorder();

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        Assert.Empty(activity.Events);
    }

    [Fact]
    public void OnRecorded_ActivityNotRecorded_AddsNoEvent()
    {
        Listen(AuditTelemetry.ActivitySourceName, AppSource.Name, ActivitySamplingResult.PropagationData);
        using var activity = AppSource.StartActivity("job")!;
        var access = TelemetryAccesses.CrossBorder();

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        Assert.False(activity.IsAllDataRequested);
        Assert.Empty(activity.Events);
    }

    [Fact]
    public void OnRecorded_NoCurrentActivity_DoesNothing()
    {
        Listen(AuditTelemetry.ActivitySourceName, AppSource.Name);
        var access = TelemetryAccesses.CrossBorder();

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        Assert.Null(Activity.Current);
    }

    [Fact]
    public async Task Record_InsideAnActivity_FillsTheTraceIdAndAddsTheEventToThatActivity()
    {
        Listen(AuditTelemetry.ActivitySourceName, AppSource.Name);
        var sink = new InMemoryAccessEventSink();
        await using var services = new ServiceCollection()
            .AddSingleton<IClock>(new FakeClock(TelemetryAccesses.Time))
            .AddDataAccessAudit(audit => audit.AddSink(sink))
            .BuildServiceProvider();
        var auditor = services.GetRequiredService<IAccessAuditor>();

        using (var activity = AppSource.StartActivity("GET /users/{id}/messages")!)
        {
            auditor.Record(TelemetryAccesses.FromChina, TelemetryAccesses.ProtectedUsData, "read");
            await auditor.FlushAsync(TestContext.Current.CancellationToken);

            var recorded = Assert.Single(sink.Records).Event;
            Assert.Equal(activity.TraceId.ToHexString(), recorded.TraceId);
            var accessEvent = Assert.Single(activity.Events);
            Assert.Equal(recorded.Id, accessEvent.Tags.Single(tag => tag.Key == "data_access_audit.event.id").Value);
        }
    }

    private void Listen(string source, string? other = null, ActivitySamplingResult sampling = ActivitySamplingResult.AllDataAndRecorded)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate.Name == source || candidate.Name == other,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
        };
        ActivitySource.AddActivityListener(_listener);
    }
}
