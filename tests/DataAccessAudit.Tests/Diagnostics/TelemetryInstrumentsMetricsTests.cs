using System.Diagnostics.Metrics;
using DataAccessAudit.Classification;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace DataAccessAudit.Tests.Diagnostics;

public sealed class TelemetryInstrumentsMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly IMeterFactory _meterFactory;
    private readonly TelemetryInstruments _diagnostics;

    public TelemetryInstrumentsMetricsTests()
    {
        _meterFactory = _services.GetRequiredService<IMeterFactory>();
        _diagnostics = new TelemetryInstruments(_meterFactory, TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key), loggerFactory: null);
    }

    public void Dispose()
    {
        _diagnostics.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void OnRecorded_CrossBorderAccess_CountsItWithItsLowCardinalityAttributes()
    {
        using var accesses = Collect<long>("data_access_audit.accesses");
        var access = TelemetryAccesses.CrossBorder();

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        var measurement = Assert.Single(accesses.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["data_access_audit.outcome"] = "flagged",
                ["data_access_audit.data.category"] = "protected",
                ["data_access_audit.requester.region"] = "CN",
                ["data_access_audit.data.region"] = "US",
                ["data_access_audit.cross_border"] = true,
            },
            measurement.Tags);
        Assert.Equal("{access}", accesses.Instrument!.Unit);
    }

    [Fact]
    public void OnRecorded_DomesticAccess_CountsItAsAllowedAndNotCrossBorder()
    {
        using var accesses = Collect<long>("data_access_audit.accesses");
        var access = TelemetryAccesses.Domestic();

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        var measurement = Assert.Single(accesses.GetMeasurementSnapshot());
        Assert.Equal("allowed", measurement.Tags["data_access_audit.outcome"]);
        Assert.Equal(false, measurement.Tags["data_access_audit.cross_border"]);
    }

    [Fact]
    public void OnRecorded_DeniedAccess_CountsItAsDenied()
    {
        using var accesses = Collect<long>("data_access_audit.accesses");
        var access = TelemetryAccesses.CrossBorder();

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access, PolicyMode.Enforce));

        Assert.Equal("denied", Assert.Single(accesses.GetMeasurementSnapshot()).Tags["data_access_audit.outcome"]);
    }

    [Fact]
    public void OnRecorded_CategoriesOutsideTheTaxonomy_CountsThemUnderOneOtherValue()
    {
        using var accesses = Collect<long>("data_access_audit.accesses");

        for (var i = 0; i < 50; i++)
        {
            var resource = new AccessedResource($"user/{i}/messages", new DataCategory($"category-from-the-request-{i}"), Region.Parse("US"));
            var access = new AccessEvent($"0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1b{i:d2}", TelemetryAccesses.Time, TelemetryAccesses.FromUnitedStates, resource, "read");
            _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));
        }

        var categories = accesses.GetMeasurementSnapshot().Select(m => m.Tags["data_access_audit.data.category"]).Distinct().ToArray();
        Assert.Equal(["_OTHER"], categories);
    }

    [Fact]
    public void OnRecorded_CategoryOfTheTaxonomy_CountsItByName()
    {
        using var accesses = Collect<long>("data_access_audit.accesses");
        var resource = new AccessedResource(TelemetryAccesses.RawResourceId, Taxonomy.Public, Region.Parse("US"));
        var access = new AccessEvent("0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a03", TelemetryAccesses.Time, TelemetryAccesses.FromChina, resource, "read");

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        Assert.Equal("public", Assert.Single(accesses.GetMeasurementSnapshot()).Tags["data_access_audit.data.category"]);
    }

    [Fact]
    public void OnRecorded_Findings_CountsEachFindingByName()
    {
        using var findings = Collect<long>("data_access_audit.findings");
        var access = TelemetryAccesses.CrossBorder();
        var decision = TelemetryAccesses.Decide(access);

        _diagnostics.OnRecorded(access, decision);

        var names = findings.GetMeasurementSnapshot().Select(m => (string)m.Tags["data_access_audit.finding"]!).ToArray();
        Assert.Equal(decision.Findings.Select(f => f.Name), names);
        Assert.Contains("cross-border-protected-access", names);
        Assert.Contains("country-of-concern-access", names);
        Assert.All(findings.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
        Assert.Equal("{finding}", findings.Instrument!.Unit);
    }

    [Fact]
    public void OnRecorded_NoFindings_CountsNoFinding()
    {
        using var findings = Collect<long>("data_access_audit.findings");
        var access = TelemetryAccesses.Domestic();

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        Assert.Empty(findings.GetMeasurementSnapshot());
    }

    [Fact]
    public void OnRecorded_AnyAccess_PutsNoIdInAnyMetricAttribute()
    {
        using var accesses = Collect<long>("data_access_audit.accesses");
        using var findings = Collect<long>("data_access_audit.findings");
        var access = TelemetryAccesses.CrossBorder();

        _diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        var values = accesses.GetMeasurementSnapshot().Concat(findings.GetMeasurementSnapshot())
            .SelectMany(m => m.Tags).Select(tag => tag.Value?.ToString()).ToArray();
        Assert.NotEmpty(values);
        Assert.All(values, TelemetryAccesses.AssertNoRawId);
        var pseudonym = TelemetryAccesses.Pseudonym(TelemetryAccesses.RawRequesterId, TelemetryAccesses.Key);
        Assert.DoesNotContain(pseudonym, values);
    }

    [Fact]
    public void RecordDropped_Count_AddsItWithErrorType()
    {
        using var dropped = Collect<long>("data_access_audit.queue.dropped");

        _diagnostics.RecordDropped(3, TelemetryNames.QueueFull);

        var measurement = Assert.Single(dropped.GetMeasurementSnapshot());
        Assert.Equal(3, measurement.Value);
        Assert.Equal("queue_full", measurement.Tags["error.type"]);
        Assert.Equal("{access}", dropped.Instrument!.Unit);
    }

    [Fact]
    public void RecordDropped_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _diagnostics.RecordDropped(-1, TelemetryNames.QueueFull));
    }

    [Fact]
    public void RecordWriteDuration_Success_RecordsSecondsAndBatchSize()
    {
        using var duration = Collect<double>("data_access_audit.write.duration");
        using var batchSize = Collect<long>("data_access_audit.write.batch.size");

        _diagnostics.RecordWriteDuration(TimeSpan.FromMilliseconds(12.5), 64);

        var seconds = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(0.0125, seconds.Value, 9);
        Assert.Empty(seconds.Tags);
        Assert.Equal("s", duration.Instrument!.Unit);
        Assert.Equal(64, Assert.Single(batchSize.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public void RecordWriteDuration_Failure_TagsErrorType()
    {
        using var duration = Collect<double>("data_access_audit.write.duration");

        _diagnostics.RecordWriteDuration(TimeSpan.FromSeconds(2), 10, nameof(IOException));

        Assert.Equal("IOException", Assert.Single(duration.GetMeasurementSnapshot()).Tags["error.type"]);
    }

    [Fact]
    public void RegisterQueueDepth_Sources_ObservesTheirSumUntilDisposed()
    {
        using var depth = Collect<long>("data_access_audit.queue.depth");
        long first = 5, second = 2;
        using var one = _diagnostics.RegisterQueueDepth(() => first);
        var two = _diagnostics.RegisterQueueDepth(() => second);

        depth.RecordObservableInstruments();
        Assert.Equal(7, depth.LastMeasurement!.Value);

        first = 1;
        two.Dispose();
        depth.RecordObservableInstruments();
        Assert.Equal(1, depth.LastMeasurement!.Value);
        Assert.Equal("{access}", depth.Instrument!.Unit);
    }

    [Fact]
    public void RegisterQueueDepth_NoSource_ObservesNothing()
    {
        using var depth = Collect<long>("data_access_audit.queue.depth");

        depth.RecordObservableInstruments();

        Assert.Empty(depth.GetMeasurementSnapshot());
    }

    [Fact]
    public void Meter_FromTheFactory_IsNamedAfterTheAssemblyWithItsVersion()
    {
        using var accesses = Collect<long>("data_access_audit.accesses");

        var meter = accesses.Instrument!.Meter;

        Assert.Equal("DataAccessAudit", meter.Name);
        Assert.Equal(typeof(AuditTelemetry).Assembly.GetName().Version!.ToString(3), meter.Version);
        Assert.Same(_meterFactory, meter.Scope);
    }

    [Fact]
    public void Constructor_NoMeterFactory_CreatesAndOwnsItsMeter()
    {
        var diagnostics = new TelemetryInstruments(meterFactory: null, redactorProvider: null, loggerFactory: null);
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter == diagnostics.Meter)
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();

        Assert.Equal(6, instruments.Count);
        Assert.Null(diagnostics.Meter.Scope);
        diagnostics.Dispose();
        listener.RecordObservableInstruments();
        Assert.All(instruments, instrument => Assert.False(instrument.Enabled));
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(_meterFactory, AuditTelemetry.MeterName, instrument);
}
