using System.Diagnostics.Metrics;
using DataAccessAudit.BulkData;
using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.BulkData;

public sealed class BulkDataMonitorTests : IDisposable
{
    private static readonly BulkDataPolicy Policy = BulkDataPolicy.DataSecurityProgram.WithCoveredOrganizations(["ByteDance"]);
    private static readonly BulkCounterparty Engineer = new("cn-1", IsOrganization: false);
    private static readonly Instant Day1 = Instant.FromUtc(2022, 1, 10, 12, 0);

    private readonly string _directory = Directory.CreateTempSubdirectory("bulk-monitor-").FullName;
    private readonly FakeClock _clock = new(Day1);
    private readonly List<BulkThresholdAlert> _alerts = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Observe_RisingPastHalfAndThenTheThreshold_AlertsOnceForEachLevel()
    {
        using var monitor = Monitor();

        monitor.Observe(Genome(Day1, 0, 50));       // 50: not more than half of 100
        Assert.Empty(_alerts);
        monitor.Observe(Genome(Day1, 50, 1));       // 51
        monitor.Observe(Genome(Day1, 0, 51));       // the same people again
        monitor.Observe(Genome(Day1, 51, 49));      // 100: the threshold itself is not bulk
        Assert.Equal([0.5], _alerts.Select(a => a.Level));
        monitor.Observe(Genome(Day1, 100, 1));      // 101
        monitor.Observe(Genome(Day1, 101, 500));

        Assert.Equal([0.5, 1.0], _alerts.Select(a => a.Level));
        var crossed = _alerts[1];
        Assert.Equal(new BulkThresholdAlert("human-genomic", Engineer, 1.0, 101, 100, false, new LocalDate(2022, 1, 10)), crossed);
        Assert.Equal(601, monitor.DistinctPersons(Engineer, "human-genomic"));
    }

    [Fact]
    public void Observe_AfterTheWindowMovesPastOldAccesses_AlertsAgainOnTheNextCrossing()
    {
        using var monitor = Monitor();
        monitor.Observe(Genome(Day1, 0, 60));
        Assert.Single(_alerts);

        // Thirteen months later the first 60 have left the window: the level is lowered, and raised again.
        var later = Day1 + Duration.FromDays(400);
        monitor.Observe(Genome(later, 1_000, 1));
        Assert.Equal(1, monitor.DistinctPersons(Engineer, "human-genomic"));
        monitor.Observe(Genome(later, 2_000, 60));

        Assert.Equal([0.5, 0.5], _alerts.Select(a => a.Level));
    }

    [Fact]
    public void Observe_AnAccessOfTheLastDayOfTheWindow_StillCounts()
    {
        using var monitor = Monitor();
        monitor.Observe(Genome(Instant.FromUtc(2023, 3, 2, 0, 0), 0, 40));
        monitor.Observe(Genome(Instant.FromUtc(2024, 3, 1, 23, 0), 100, 40));   // window from 2023-03-02: 366 days

        Assert.Equal(80, monitor.DistinctPersons(Engineer, "human-genomic"));
        monitor.Observe(Genome(Instant.FromUtc(2024, 3, 2, 0, 0), 200, 1));     // window from 2023-03-03

        Assert.Equal(41, monitor.DistinctPersons(Engineer, "human-genomic"));
    }

    [Fact]
    public void State_SavedAndReadBack_KeepsFiguresAndRaisedAlerts()
    {
        var path = Path.Combine(_directory, "bulk-data.state");
        using (var monitor = Monitor(path))
        {
            monitor.Observe(Genome(Day1, 0, 101));
            monitor.Observe(Health(Day1, "bd-7", 0, 30));
        }

        Assert.Equal(2, _alerts.Count);
        using var restarted = Monitor(path);

        Assert.Equal(101, restarted.DistinctPersons(Engineer, "human-genomic"));
        Assert.Equal(30, restarted.DistinctPersons(new BulkCounterparty("ByteDance", true), "personal-health"));
        restarted.Observe(Genome(Day1, 101, 10));
        Assert.Equal(2, _alerts.Count);
        Assert.Equal(111, restarted.DistinctPersons(Engineer, "human-genomic"));
    }

    [Fact]
    public async Task FlushAsync_SavesOnlyOnceTheIntervalHasPassed()
    {
        var path = Path.Combine(_directory, "bulk-data.state");
        using var monitor = Monitor(path);
        await monitor.WriteAsync(new[] { Genome(Day1, 0, 5) }, TestContext.Current.CancellationToken);

        await monitor.FlushAsync(TestContext.Current.CancellationToken);
        Assert.False(File.Exists(path));
        _clock.Advance(Duration.FromMinutes(1));
        await monitor.FlushAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void State_Unreadable_StartsEmptyAndLogsAnError()
    {
        var path = Path.Combine(_directory, "bulk-data.state");
        File.WriteAllText(path, "not a state");
        var logger = new ListLogger();

        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { StatePath = path }, _clock, logger);

        Assert.Equal(0, monitor.DistinctPersons(Engineer, "human-genomic"));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Id.Id == 4202 && e.Message.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public void Observe_Crossing_LogsAWarningWithAStableEventIdAndCountsTheAlert()
    {
        var logger = new ListLogger();
        var measurements = new List<(long Value, string? Kind)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == BulkDataMonitor.AlertsInstrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            measurements.Add((value, tags.ToArray().Single(t => t.Key == "data_access_audit.bulk_data.kind").Value as string)));
        listener.Start();
        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { AlertFractions = [1.0] }, _clock, logger);

        monitor.Observe(Genome(Day1, 0, 101));

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(new EventId(4201, "BulkThresholdAlert"), warning.Id);
        Assert.Equal("Bulk data: cn-1 reached 101 distinct persons of human-genomic over the preceding 12 months, past 100% of the threshold (100).", warning.Message);
        Assert.Equal([(1L, "human-genomic")], measurements);
    }

    [Fact]
    public void Observe_DeniedAccessesPrivateMessagesAndRequestersElsewhere_DoNotCount()
    {
        using var monitor = Monitor();
        var denied = Genome(Day1, 0, 80) with { Decision = new AccessDecision(AccessOutcome.Denied, true, FindingSet.Empty, "p/1") };
        monitor.Observe(denied);
        monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "direct-message", 0, 80), null));
        monitor.Observe(new AccessRecord(Event(Day1, "sg-1", "SG", "TikTok Singapore", "genome", 0, 80), null));

        Assert.Equal(0, monitor.DistinctPersons(Engineer, "human-genomic"));
        Assert.Empty(_alerts);
    }

    [Fact]
    public void Observe_CombinedKinds_JudgesIdentifiersAgainstTheLowerThreshold()
    {
        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { AlertFractions = [1.0], OnAlert = _alerts.Add }, _clock);

        monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "health-record", 0, 0, subjects: 10_001), null));

        Assert.Equal(["personal-health", "covered-personal-identifiers"], _alerts.Select(a => a.Kind));
        Assert.All(_alerts, a => Assert.True(a.UpperBound));
        Assert.Equal(10_000, _alerts[1].Threshold);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(11.0)]
    [InlineData(double.NaN)]
    public void Constructor_AFractionOutOfRange_ThrowsNamingIt(double fraction)
    {
        var exception = Assert.Throws<ArgumentException>(() => new BulkDataMonitor(Policy, new BulkDataMonitorOptions { AlertFractions = [fraction] }, _clock));

        Assert.StartsWith($"AlertFractions: {fraction} is not a fraction of a threshold", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBulkDataMonitor_RegistersTheMonitorAsASink()
    {
        var services = new ServiceCollection();
        services.AddSingleton(AccessPolicy.ProjectTexas.WithBulkData(Policy));
        services.AddDataAccessAudit(audit => audit.AddBulkDataMonitor(options => options.AlertFractions = [1.0]));
        using var provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<BulkDataMonitor>();
        Assert.Contains(provider.GetServices<IAccessEventSink>(), s => ReferenceEquals(s, monitor));
        Assert.Same(Policy, monitor.Policy);
    }

    [Fact]
    public void AddBulkDataMonitor_PolicyWithoutBulkData_FailsSayingWhatIsMissing()
    {
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.AddBulkDataMonitor());
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BulkDataMonitor>());
        Assert.Contains("policy 'project-texas/1' has no bulkData", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_SubjectsWithoutKeysPastWhatALongHolds_StopAtLongMaxValueAndAlertOnce()
    {
        // 2,000 accesses of 2^53-1 subjects each sum to about 2^64: the upper bound stops at long.MaxValue instead
        // of wrapping to a negative figure that would re-arm and repeat the alerts.
        using var monitor = Monitor();
        for (var i = 0; i < 2000; i++)
        {
            monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "genome", 0, 0, subjects: (1L << 53) - 1), null));
        }

        Assert.Equal(long.MaxValue, monitor.DistinctPersons(Engineer, "human-genomic"));
        Assert.Equal([0.5, 1.0], _alerts.Select(a => a.Level));
    }

    private BulkDataMonitor Monitor(string? statePath = null) =>
        new(Policy, new BulkDataMonitorOptions { StatePath = statePath, OnAlert = _alerts.Add }, _clock);

    private static AccessRecord Genome(Instant time, int firstKey, int keys) =>
        new(Event(time, "cn-1", "CN", null, "genome", firstKey, keys), null);

    private static AccessRecord Health(Instant time, string requester, int firstKey, int keys) =>
        new(Event(time, requester, "SG", "ByteDance", "health-record", firstKey, keys), null);

    private static AccessEvent Event(Instant time, string requester, string region, string? organization, string type, int firstKey, int keys, long? subjects = null)
    {
        var e = new AccessEvent("e", time, new Requester(requester, Region.Parse(region)) { Organization = organization }, new AccessedResource("r/1", Taxonomy.Protected, Region.Parse("US")) { Type = type }, "read")
        {
            SubjectKeys = [.. Enumerable.Range(firstKey, keys).Select(i => $"hmac-{i}")],
        };
        return subjects is { } s ? new AccessEvent(e.Id, e.Time, e.Requester, e.Resource, e.Action) { Subjects = s } : e;
    }

    private sealed class ListLogger : ILogger<BulkDataMonitor>
    {
        public List<(LogLevel Level, EventId Id, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId, formatter(state, exception)));
    }
}
