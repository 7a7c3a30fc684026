using System.Diagnostics;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DataAccessAudit.OpenTelemetry.Tests;

/// <summary>The audit seen through the OpenTelemetry SDK with the in-memory exporter, as an app would wire it.</summary>
public sealed class DataAccessAuditInstrumentationTests
{
    private static readonly ActivitySource AppSource = new("DataAccessAudit.Tests.SdkApp");

    private readonly List<MetricSnapshot> _metrics = [];
    private readonly List<Activity> _activities = [];
    private readonly List<LogRecord> _logs = [];

    [Fact]
    public async Task AddDataAccessAuditInstrumentation_MeterProvider_ExportsEveryInstrumentWithItsUnit()
    {
        using var host = await StartAsync();
        RecordAccesses(host);

        // The pipeline's own queue then stands empty, and its batches add their durations to the histogram.
        await host.Services.GetRequiredService<IAccessAuditor>().FlushAsync(TestContext.Current.CancellationToken);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var exported = _metrics.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal("{access}", exported["data_access_audit.accesses"].Unit);
        Assert.Equal("{finding}", exported["data_access_audit.findings"].Unit);
        Assert.Equal("{access}", exported["data_access_audit.queue.depth"].Unit);
        Assert.Equal("{access}", exported["data_access_audit.queue.dropped"].Unit);
        Assert.Equal("s", exported["data_access_audit.write.duration"].Unit);
        Assert.Equal("{access}", exported["data_access_audit.write.batch.size"].Unit);
        Assert.Equal(6, exported.Count);

        var accesses = exported["data_access_audit.accesses"].MetricPoints;
        Assert.Equal(2, accesses.Count);
        var flagged = Assert.Single(accesses, point => Tags(point)["data_access_audit.outcome"] as string == "flagged");
        Assert.Equal(1, flagged.GetSumLong());
        Assert.Equal(
            ["data_access_audit.cross_border", "data_access_audit.data.category", "data_access_audit.data.region", "data_access_audit.outcome", "data_access_audit.requester.region"],
            Tags(flagged).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, exported["data_access_audit.queue.depth"].MetricPoints.Single().GetSumLong());
        Assert.Equal(2, exported["data_access_audit.queue.dropped"].MetricPoints.Single().GetSumLong());
        var writes = exported["data_access_audit.write.duration"].MetricPoints.Single();
        Assert.InRange(writes.GetHistogramSum(), 0.003, 10);
        Assert.True(writes.GetHistogramCount() >= 2, "the test's write and at least one real batch");
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AddDataAccessAuditInstrumentation_TracerProvider_ExportsTheAccessEventOnTheAppsSpan()
    {
        using var host = await StartAsync();
        RecordAccesses(host);

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var span = Assert.Single(_activities);
        var events = span.Events.Where(e => e.Name == "data_access_audit.access").ToArray();
        Assert.Equal(2, events.Length);
        var flagged = events.Single(e => (string?)e.Tags.Single(t => t.Key == "data_access_audit.outcome").Value == "flagged");
        Assert.Equal(
            TestAccesses.Pseudonym(TestAccesses.RawRequesterId, TestAccesses.Key),
            flagged.Tags.Single(t => t.Key == "data_access_audit.requester.pseudonym").Value);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Export_AllSignals_CarryNoRawIdInAnyAttributeOrLogField()
    {
        using var host = await StartAsync();
        RecordAccesses(host);

        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var values = new List<string?>();
        values.AddRange(_metrics.SelectMany(m => m.MetricPoints).SelectMany(p => Tags(p).Values).Select(Text));
        values.AddRange(_activities.SelectMany(a => a.TagObjects).Select(t => Text(t.Value)));
        values.AddRange(_activities.SelectMany(a => a.Events).SelectMany(e => e.Tags).Select(t => Text(t.Value)));
        values.AddRange(_logs.SelectMany(l => l.Attributes ?? []).Select(a => Text(a.Value)));
        values.AddRange(_logs.Select(l => l.FormattedMessage));
        values.AddRange(_logs.Select(l => l.Body));

        Assert.Contains(_logs, l => l.EventId.Name == "AccessFlagged");
        Assert.Contains(TestAccesses.Pseudonym(TestAccesses.RawResourceId, TestAccesses.Key), values);
        Assert.All(values, TestAccesses.AssertNoRawId);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void AddDataAccessAuditInstrumentation_NullBuilder_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ((MeterProviderBuilder)null!).AddDataAccessAuditInstrumentation());
        Assert.Throws<ArgumentNullException>(() => ((TracerProviderBuilder)null!).AddDataAccessAuditInstrumentation());
    }

    [Fact]
    public void AddDataAccessAuditInstrumentation_ProvidersBuiltWithoutAHost_SeeTheAuditsOwnMeterAndSource()
    {
        var metrics = new List<MetricSnapshot>();
        var activities = new List<Activity>();
        using var meterProvider = Sdk.CreateMeterProviderBuilder().AddDataAccessAuditInstrumentation().AddInMemoryExporter(metrics).Build();
        using var tracerProvider = Sdk.CreateTracerProviderBuilder()
            .AddDataAccessAuditInstrumentation().AddSource(AppSource.Name).AddInMemoryExporter(activities).Build();
        using var diagnostics = new TelemetryInstruments(meterFactory: null, redactorProvider: null, loggerFactory: null);
        var access = TestAccesses.CrossBorder();

        using (AppSource.StartActivity("job"))
        {
            diagnostics.OnRecorded(access, TestAccesses.Decide(access));
        }

        meterProvider.ForceFlush();
        Assert.Contains(metrics, m => m.Name == "data_access_audit.accesses" && m.MeterName == "DataAccessAudit");
        Assert.Contains(Assert.Single(activities).Events, e => e.Name == "data_access_audit.access");
    }

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private static string? Text(object? value) => value is string[] strings ? string.Join(",", strings) : value?.ToString();

    private static void RecordAccesses(IHost host)
    {
        var auditor = host.Services.GetRequiredService<IAccessAuditor>();
        using (AppSource.StartActivity("GET /users/{id}/messages"))
        {
            auditor.Record(TestAccesses.FromChina, TestAccesses.ProtectedUsData, "read");
            auditor.Record(TestAccesses.FromUnitedStates, TestAccesses.ProtectedUsData, "read");
        }

        // What the recording pipeline reports once it is wired to these calls.
        var diagnostics = host.Services.GetRequiredService<TelemetryInstruments>();
        diagnostics.RecordDropped(2, TelemetryNames.QueueFull);
        diagnostics.RecordWriteDuration(TimeSpan.FromMilliseconds(3), 2);
        diagnostics.RegisterQueueDepth(() => 4);
    }

    private async Task<IHost> StartAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IClock>(new FakeClock(TestAccesses.Time));
        builder.Services.AddDataAccessAudit(audit => audit
            .AddSink<InMemoryAccessEventSink>()
            .PseudonymizeIdentifiers(options =>
            {
                options.KeyId = 1;
                options.Key = TestAccesses.Key;
            }));
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddDataAccessAuditInstrumentation().AddInMemoryExporter(_metrics))
            .WithTracing(tracing => tracing.AddDataAccessAuditInstrumentation().AddSource(AppSource.Name).AddInMemoryExporter(_activities))
            .WithLogging(logging => logging.AddInMemoryExporter(_logs), options => options.IncludeFormattedMessage = true);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }
}
