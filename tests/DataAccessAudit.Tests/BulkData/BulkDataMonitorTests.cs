using System.Diagnostics.Metrics;
using DataAccessAudit.BulkData;
using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

        // 601 persons' genomes are also more than half of the 1,000 of 'omic data, which genomic data is part of.
        Assert.Equal([("human-genomic", 0.5), ("human-genomic", 1.0), ("human-omic", 0.5)], _alerts.Select(a => (a.Kind, a.Level)));
        var crossed = _alerts[1];
        Assert.Equal(new BulkThresholdAlert("human-genomic", Engineer, 1.0, 101, 100, false, new LocalDate(2022, 1, 10)), crossed);
        Assert.Equal(601, monitor.DistinctPersons(Engineer, "human-genomic"));
    }

    [Fact]
    public void Observe_MoreSubjectsThanKeys_CountsThePeopleWithoutKeysAndAlerts()
    {
        using var monitor = Monitor();
        var keyed = Event(Day1, "cn-1", "CN", null, "genome", 0, 10);

        // 150 people reached, the keys of 10 given: the 140 others count too, so the figure is an upper bound past 100.
        monitor.Observe(new AccessRecord(new AccessEvent(keyed.Id, keyed.Time, keyed.Requester, keyed.Resource, keyed.Action) { SubjectKeys = keyed.SubjectKeys, Subjects = 150 }, null));

        Assert.Equal(150, monitor.DistinctPersons(Engineer, "human-genomic"));
        Assert.Equal([0.5, 1.0], _alerts.Select(a => a.Level));
        Assert.True(_alerts[1].UpperBound);
    }

    [Fact]
    public void Observe_GenomesAndOmicProfiles_AddUpToTheOmicThresholdWithoutLoweringIt()
    {
        using var monitor = Monitor();

        monitor.Observe(Genome(Day1, 0, 100));
        monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "omic-profile", 1_000, 950), null));

        Assert.Equal(100, monitor.DistinctPersons(Engineer, "human-genomic"));
        Assert.Equal(1_050, monitor.DistinctPersons(Engineer, "human-omic"));
        var crossed = Assert.Single(_alerts, a => a.Level == 1.0);
        Assert.Equal(new BulkThresholdAlert("human-omic", Engineer, 1.0, 1_050, 1_000, false, new LocalDate(2022, 1, 10)), crossed);
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
    public void SaveState_Failing_LeavesNoPartialFileBehind()
    {
        // The state cannot replace a directory: the save fails after writing the temporary file, as on a full disk.
        var path = Path.Combine(_directory, "bulk-data.state");
        Directory.CreateDirectory(path);
        var logger = new ListLogger();
        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { StatePath = path }, _clock, logger);
        monitor.Observe(Genome(Day1, 0, 5));

        monitor.SaveState();

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Id.Id == 4203);
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
        Assert.Equal("Bulk data: cn-1 reached 101 distinct persons of human-genomic over the 12 months ending 2022-01-10, past 100% of the threshold (100).", warning.Message);
        Assert.Equal([(1L, "human-genomic")], measurements);
    }

    [Fact]
    public void Observe_Crossing_LogsTheWindowsLastDateAsAnIsoField()
    {
        // A log line read long after the fact must say which 12 months crossed: the alert's date, as yyyy-MM-dd in the
        // message and as a field of its own beside the fields that were there before.
        var logger = new ListLogger();
        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { AlertFractions = [1.0] }, _clock, logger);

        monitor.Observe(Genome(Instant.FromUtc(2024, 3, 1, 23, 59), 0, 101));

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("over the 12 months ending 2024-03-01,", warning.Message, StringComparison.Ordinal);
        Assert.Equal(
            ["Counterparty", "Date", "DistinctPersons", "Kind", "Percent", "Threshold", "Unit", "{OriginalFormat}"],
            warning.Fields.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Equal("2024-03-01", warning.Fields.Single(f => f.Key == "Date").Value);
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

    [Fact]
    public void Observe_AlertCallbackThrowing_CountsTheAccessOnceAndLogsTheFailure()
    {
        var logger = new ListLogger();
        var calls = 0;
        using var monitor = new BulkDataMonitor(
            Policy,
            new BulkDataMonitorOptions { AlertFractions = [1.0], OnAlert = _ => throw new InvalidOperationException($"pager down ({++calls})") },
            _clock,
            logger);

        monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "health-record", 0, 0, subjects: 10_001), null));

        Assert.Equal(2, calls);
        Assert.Equal(10_001, monitor.DistinctPersons(Engineer, "covered-personal-identifiers"));
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Error && e.Id == new EventId(4204, "BulkAlertCallbackFailed")));
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
        Assert.Equal(long.MaxValue, monitor.DistinctPersons(Engineer, "human-omic"));
        Assert.Equal([("human-genomic", 0.5), ("human-genomic", 1.0), ("human-omic", 0.5), ("human-omic", 1.0)], _alerts.Select(a => (a.Kind, a.Level)));
    }

    [Fact]
    public void Observe_GovernmentPersonnelRecords_JudgeTheirIdentifiersAgainstTheIdentifiersThreshold()
    {
        // Government-related data counts at any amount (28 CFR 202.222) but is none of the categories (a) to (f) whose
        // combination 28 CFR 202.205(g) judges at the lowest threshold: the identifiers stay at 100,000.
        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { AlertFractions = [1.0], OnAlert = _alerts.Add }, _clock);

        monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "government-personnel", 0, 5), null));
        monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "contact-info", 100, 50), null));

        var alert = Assert.Single(_alerts);
        Assert.Equal(("government-related", 0L), (alert.Kind, alert.Threshold));
        Assert.Equal(55, monitor.DistinctPersons(Engineer, "covered-personal-identifiers"));
    }

    [Theory]
    [InlineData(new[] { 0.5, 1.0 }, 1.0)]
    [InlineData(new[] { 0.5, 1.0, 2.0 }, 1.0)]
    [InlineData(new[] { 0.5, 0.97 }, 0.97)]
    public void Observe_GovernmentRelatedData_RaisesOneAlertAtTheFirstPerson(double[] fractions, double level)
    {
        // Government-related data counts at any amount (28 CFR 202.222): the first person crosses its threshold of zero,
        // and nothing comes before that to warn of. One event, one alert: the crossing, or the highest level asked for.
        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { AlertFractions = fractions, OnAlert = _alerts.Add }, _clock);

        monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "government-personnel", 0, 1), null));
        monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "government-personnel", 1, 5), null));

        var alert = Assert.Single(_alerts, a => a.Kind == "government-related");
        Assert.Equal((level, 1L, 0L), (alert.Level, alert.DistinctPersons, alert.Threshold));
    }

    [Fact]
    public void Observe_AccessesJustBeforeUtcMidnight_CountOnTheirOwnDate()
    {
        // Unix ticks of recent dates pass 2^53: the day of an instant must come from integer division, or the last tick of
        // a day rounds up into the next one.
        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { AlertFractions = [1.0], OnAlert = _alerts.Add }, _clock);
        var dates = Enumerable.Range(0, 365).Select(d => new LocalDate(2026, 1, 1).PlusDays(d)).ToList();

        foreach (var date in dates)
        {
            var lastTick = date.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() - Duration.Epsilon;
            monitor.Observe(new AccessRecord(Event(lastTick, $"cn-{date:yyyy-MM-dd}", "CN", null, "government-personnel", 0, 1), null));
        }

        Assert.Equal(dates, _alerts.Select(a => a.Date));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.999999999Z")]
    public void Observe_AnAccessAtTheEndsOfTime_IsCountedWithoutThrowing(string time)
    {
        // The monitor runs on the recording pipeline's writer: an exception there would stop the audit log itself.
        using var monitor = Monitor();

        monitor.Observe(Genome(NodaTime.Text.InstantPattern.ExtendedIso.Parse(time).Value, 0, 101));

        Assert.Equal(101, monitor.DistinctPersons(Engineer, "human-genomic"));
    }

    [Theory]
    [InlineData(-1, 19_000)]                // a negative sketch length
    [InlineData(int.MaxValue, 19_000)]      // a sketch length past the end of the file
    [InlineData(6, int.MinValue)]           // a window end before every date
    [InlineData(6, int.MaxValue)]           // a window end after every date
    public void State_Corrupt_StartsEmptyAndLogsAnError(int sketchLength, int windowEnd)
    {
        var path = Path.Combine(_directory, "bulk-data.state");
        WriteState(path, sketchLength, windowEnd);
        var logger = new ListLogger();

        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { StatePath = path }, _clock, logger);
        monitor.Observe(Genome(Day1, 0, 3));

        Assert.Equal(3, monitor.DistinctPersons(Engineer, "human-genomic"));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Id.Id == 4202);
    }

    [Fact]
    public void State_WellFormedByHand_IsReadWithoutError()
    {
        // The same bytes as the corrupt states above, with a sketch length and a window end that make sense.
        var path = Path.Combine(_directory, "bulk-data.state");
        WriteState(path, 6, 19_000);
        var logger = new ListLogger();

        using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { StatePath = path }, _clock, logger);

        // The state names only human-genomic: the preset's other kinds are new to it, which is said, not an error.
        Assert.All(logger.Entries, e => Assert.Equal((LogLevel.Warning, 4205), (e.Level, e.Id.Id)));
        Assert.Equal(Policy.Kinds.Count - 1, logger.Entries.Count);
        Assert.Equal(0, monitor.DistinctPersons(Engineer, "human-genomic"));
    }

    [Fact]
    public void State_ReadWithOtherAlertFractions_KeepsRaisedLevelsByValue()
    {
        // Half the threshold was passed before the restart; the restarted monitor alerts only at the threshold, and must
        // still alert when it is crossed.
        var path = Path.Combine(_directory, "bulk-data.state");
        using (var monitor = Monitor(path))
        {
            monitor.Observe(Genome(Day1, 0, 60));
        }

        _alerts.Clear();
        using var restarted = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { StatePath = path, AlertFractions = [1.0, 2.0], OnAlert = _alerts.Add }, _clock);
        restarted.Observe(Genome(Day1, 60, 50));

        Assert.Equal([1.0], _alerts.Select(a => a.Level));
    }

    [Fact]
    public void State_ReadWithAPolicyThatOrdersItsKindsDifferently_KeepsTheCombinedKindsByName()
    {
        // The state of the preset (health is its fifth kind) read by a policy of two kinds: the identifiers reached
        // through health records are still judged against the health threshold, and nothing points past the kinds.
        var path = Path.Combine(_directory, "bulk-data.state");
        using (var monitor = Monitor(path))
        {
            monitor.Observe(Health(Day1, "bd-7", 0, 30));
        }

        var twoKinds = new BulkDataPolicy(
            "two-kinds",
            [SensitiveDataKind.CoveredPersonalIdentifiers, SensitiveDataKind.PersonalHealth],
            [new("contact-info", ["covered-personal-identifiers"]), new("health-record", ["personal-health", "covered-personal-identifiers"])],
            Jurisdiction.UnitedStates,
            Jurisdiction.CountriesOfConcern,
            ["ByteDance"]);
        _alerts.Clear();
        using var restarted = new BulkDataMonitor(twoKinds, new BulkDataMonitorOptions { StatePath = path, AlertFractions = [0.5], OnAlert = _alerts.Add }, _clock);

        restarted.Observe(new AccessRecord(Event(Day1, "bd-7", "SG", "ByteDance", "contact-info", 0, 0, subjects: 5_000), null));

        var alert = Assert.Single(_alerts);
        Assert.Equal(("covered-personal-identifiers", 10_000L, 5_030L), (alert.Kind, alert.Threshold, alert.DistinctPersons));
    }

    [Fact]
    public void State_ReadUnderALoweredThreshold_AlertsOnceAtTheFirstAccessOnTheLatestDaySeen()
    {
        // 60 genomes were half of 100 before the restart; the policy now says 50, which 60 is past. Creating the monitor
        // says nothing (it may be created inside a container's resolution, before the app's telemetry is listening); the
        // first access judges the saved figure before its own, and the alert is dated where the 12 months that crossed
        // end, not on the day of the restart.
        var path = Path.Combine(_directory, "bulk-data.state");
        using (var monitor = Monitor(path, Genomic(100)))
        {
            monitor.Observe(Genome(Day1, 0, 60));
        }

        _alerts.Clear();
        _clock.Advance(Duration.FromDays(3));
        using var restarted = Monitor(path, Genomic(50));
        Assert.Empty(_alerts);
        Assert.Equal(60, restarted.DistinctPersons(Engineer, "human-genomic"));

        restarted.Observe(Genome(Day1, 0, 60));
        var alert = Assert.Single(_alerts);
        Assert.Equal(new BulkThresholdAlert("human-genomic", Engineer, 1.0, 60, 50, false, new LocalDate(2022, 1, 10)), alert);

        // The level raised was saved at once: a start after a crash that left no later save has nothing to say.
        using (var again = Monitor(path, Genomic(50)))
        {
            again.Observe(Genome(Day1, 0, 60));
        }

        restarted.Observe(Genome(Day1, 0, 60));
        Assert.Single(_alerts);
    }

    [Fact]
    public async Task AddBulkDataMonitor_SavedStatePastALoweredThreshold_AlertsOnceWhenTheHostHasStarted()
    {
        // The app resolves the monitor before the host starts (a dashboard of its figures, a health check) and its
        // metrics listener starts after that, before the host: the start-up alert must wait for the host, so that the
        // listener counts it, and it is raised once, saved at once, and not raised again by the next start.
        var path = Path.Combine(_directory, "bulk-data.state");
        using (var monitor = Monitor(path, Genomic(100)))
        {
            monitor.Observe(Genome(Day1, 0, 60));
        }

        _alerts.Clear();
        var measurements = new List<long>();
        using (var host = BuildHost(path))
        {
            host.Services.GetRequiredService<BulkDataMonitor>();
            Assert.Empty(_alerts);
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == BulkDataMonitor.AlertsInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => measurements.Add(value));
            listener.Start();

            await host.StartAsync(TestContext.Current.CancellationToken);

            Assert.Equal([(1.0, 60L, 50L)], _alerts.Select(a => (a.Level, a.DistinctPersons, a.Threshold)));
            Assert.Equal([1L], measurements);

            // Saved at the alert, not only when the host stops: a crash now does not repeat it.
            using (var reread = Monitor(path, Genomic(50)))
            {
                reread.Observe(Genome(Day1, 0, 60));
            }

            Assert.Single(_alerts);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        using (var restarted = BuildHost(path))
        {
            await restarted.StartAsync(TestContext.Current.CancellationToken);
            await restarted.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Single(_alerts);
    }

    [Fact]
    public void State_ReadWithAnAddedAlertFraction_AlertsAtTheFirstAccessForTheLevelAlreadyPassed()
    {
        var path = Path.Combine(_directory, "bulk-data.state");
        using (var monitor = Monitor(path, Genomic(100), [1.0]))
        {
            monitor.Observe(Genome(Day1, 0, 60));
        }

        Assert.Empty(_alerts);
        using (var restarted = Monitor(path, Genomic(100), [0.5, 1.0]))
        {
            restarted.Observe(Genome(Day1, 0, 1));
            Assert.Equal([(0.5, 60L)], _alerts.Select(a => (a.Level, a.DistinctPersons)));
        }

        using var again = Monitor(path, Genomic(100), [0.5, 1.0]);
        again.Observe(Genome(Day1, 0, 1));
        Assert.Single(_alerts);
    }

    [Fact]
    public void State_ZeroThresholdReadWithChangedAlertFractions_DoesNotRepeatTheCrossing()
    {
        // Government-related data crossed its threshold of zero at the first person, and that one event was alerted.
        // Whatever level the fractions in force name for it (the crossing, the highest warning, a higher multiple), a
        // restart under other fractions, or back under the first ones, must not alert it again.
        var path = Path.Combine(_directory, "bulk-data.state");
        var government = new AccessRecord(Event(Day1, "cn-1", "CN", null, "government-personnel", 0, 1), null);
        double[][] runs = [[0.5, 1.0], [0.5, 0.97], [0.5, 1.0], [2.0], [0.5, 1.0]];
        foreach (var fractions in runs)
        {
            using var monitor = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { StatePath = path, AlertFractions = fractions, OnAlert = _alerts.Add }, _clock);
            monitor.Observe(government);
        }

        var alert = Assert.Single(_alerts);
        Assert.Equal(("government-related", 1.0), (alert.Kind, alert.Level));
    }

    [Fact]
    public void State_PastItsLevelsReadWithChangedAlertFractions_AlertsOnlyANewHigherLevel()
    {
        // 150 genomes passed half of 100 and 100 itself. A level at or below one already raised says nothing new, even
        // when the fractions in force no longer name the raised one (0.9 alone, then the defaults again); a new level
        // above all of them (1.25, passed at 126) does.
        var path = Path.Combine(_directory, "bulk-data.state");
        double[][] runs = [[0.5, 1.0], [0.9], [0.5, 1.0], [0.5, 0.75, 1.0, 1.25], [0.5, 1.0, 1.25]];
        foreach (var fractions in runs)
        {
            using var monitor = Monitor(path, Genomic(100), fractions);
            monitor.Observe(Genome(Day1, 0, 150));
        }

        Assert.Equal([0.5, 1.0, 1.25], _alerts.Select(a => a.Level));
    }

    [Fact]
    public void State_OfVersion2WithTheThresholdCrossed_ReadUnderALowerFractionOnly_AlertsNothingAgain()
    {
        // A state saved before the highest raised level was kept apart: 150 genomes raised half of 100 and 100. Read
        // under 0.9 alone, the 1 it no longer names is still known from the levels the file names, and 0.9 is below it.
        var path = Path.Combine(_directory, "bulk-data.state");
        var day = Period.DaysBetween(new LocalDate(1970, 1, 1), Day1.InUtc().Date);
        WriteState(path, -2, day, raised: 0b11, keys: 150);

        using var monitor = Monitor(path, Genomic(100), [0.9]);
        monitor.Observe(Genome(Day1, 0, 150));

        Assert.Equal(150, monitor.DistinctPersons(Engineer, "human-genomic"));
        Assert.Empty(_alerts);
    }

    [Property(MaxTest = 40)]
    public void State_ReadUnderAnySequenceOfAlertFractions_AlertsEachLevelOnlyAboveTheHighestAlerted(NonEmptyArray<NonEmptyArray<PositiveInt>> configurations, PositiveInt persons)
    {
        // The same saved figure read back under one configuration after another: a level alerts only when it is above
        // every level alerted before it (a new, higher crossing), never twice, and only if the figure passes it.
        var path = Path.Combine(_directory, $"bulk-data-{Guid.NewGuid():N}.state");
        var count = persons.Get % 300 + 1;
        var alerted = new List<double>();
        foreach (var configuration in configurations.Get.Take(6))
        {
            var fractions = configuration.Get.Take(8).Select(f => (f.Get % 40 + 1) / 20.0).Distinct().ToArray();
            _alerts.Clear();
            using (var monitor = Monitor(path, Genomic(100), fractions))
            {
                monitor.Observe(Genome(Day1, 0, count));
            }

            foreach (var alert in _alerts)
            {
                Assert.True(alerted.Count == 0 || alert.Level > alerted.Max(), $"{alert.Level} after {string.Join(", ", alerted)}");
                Assert.True(count > alert.Level * 100);
                alerted.Add(alert.Level);
            }
        }
    }

    [Fact]
    public void State_ReadUnderARaisedThreshold_LowersTheLevelsNoLongerPassedAndAlertsAtTheNextCrossing()
    {
        // 101 genomes crossed 100; at 200 they are past half of it only. The crossing is lowered at start, without an
        // alert, so that reaching 201 alerts once.
        var path = Path.Combine(_directory, "bulk-data.state");
        using (var monitor = Monitor(path, Genomic(100)))
        {
            monitor.Observe(Genome(Day1, 0, 101));
        }

        _alerts.Clear();
        using var restarted = Monitor(path, Genomic(200));
        Assert.Empty(_alerts);

        restarted.Observe(Genome(Day1, 101, 100));
        restarted.Observe(Genome(Day1, 201, 50));

        var alert = Assert.Single(_alerts);
        Assert.Equal((1.0, 201L, 200L), (alert.Level, alert.DistinctPersons, alert.Threshold));
    }

    [Fact]
    public void State_ReadUnderTheSameThresholdsAndLevels_AlertsNothingAgain()
    {
        var path = Path.Combine(_directory, "bulk-data.state");
        var logger = new ListLogger();
        using (var monitor = Monitor(path))
        {
            monitor.Observe(Genome(Day1, 0, 101));
            monitor.Observe(new AccessRecord(Event(Day1, "cn-1", "CN", null, "government-personnel", 0, 1), null));
        }

        // Genomes past half of 100 and past 100; government-related data past its threshold of zero.
        Assert.Equal(3, _alerts.Count);
        using var restarted = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { StatePath = path, OnAlert = _alerts.Add }, _clock, logger);

        Assert.Equal(3, _alerts.Count);
        Assert.Empty(logger.Entries);
        Assert.Equal(1, restarted.DistinctPersons(Engineer, "government-related"));
    }

    [Fact]
    public void State_ReadLongAfterItWasSaved_JudgesTheWindowEndingOnTheLatestDaySeen()
    {
        // While running, a window ends on the latest day its counterparty and kind were seen, and its old days leave
        // only when a later access moves it. A restart 400 days on judges the same window, dated on its own end; the
        // next access moves it past the old days, which lowers the levels, and a new crossing alerts again.
        var path = Path.Combine(_directory, "bulk-data.state");
        using (var monitor = Monitor(path, Genomic(100), [1.0]))
        {
            monitor.Observe(Genome(Day1, 0, 60));
        }

        _clock.Advance(Duration.FromDays(400));
        using var restarted = Monitor(path, Genomic(50), [1.0]);
        restarted.Observe(Genome(_clock.GetCurrentInstant(), 1_000, 1));
        Assert.Equal([(60L, new LocalDate(2022, 1, 10))], _alerts.Select(a => (a.DistinctPersons, a.Date)));
        Assert.Equal(1, restarted.DistinctPersons(Engineer, "human-genomic"));
        restarted.Observe(Genome(_clock.GetCurrentInstant(), 2_000, 50));

        Assert.Equal([(60L, new LocalDate(2022, 1, 10)), (51L, new LocalDate(2023, 2, 14))], _alerts.Select(a => (a.DistinctPersons, a.Date)));
    }

    [Fact]
    public void State_ReadByAPolicyWithANewKind_WarnsThatItsFiguresStartNow()
    {
        // Genomes were counted as 'omic data only; the kind of genomic data is new, and what its counterparties reached
        // before cannot be told apart from the other 'omic data in the saved figures.
        var path = Path.Combine(_directory, "bulk-data.state");
        var omicOnly = new BulkDataPolicy("omic", [new SensitiveDataKind("human-omic", 1_000)], [new("genome", ["human-omic"])], Jurisdiction.UnitedStates, Jurisdiction.CountriesOfConcern, []);
        using (var monitor = Monitor(path, omicOnly))
        {
            monitor.Observe(Genome(Day1, 0, 150));
        }

        var logger = new ListLogger();
        using var restarted = new BulkDataMonitor(Policy, new BulkDataMonitorOptions { StatePath = path, OnAlert = _alerts.Add }, _clock, logger);

        var warning = Assert.Single(logger.Entries, e => e.Message.Contains("human-genomic", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Warning, new EventId(4205, "BulkKindNotInState")), (warning.Level, warning.Id));
        Assert.Equal(0, restarted.DistinctPersons(Engineer, "human-genomic"));
        Assert.Equal(150, restarted.DistinctPersons(Engineer, "human-omic"));
    }

    // A state of one kind (human-genomic), the default alert levels and one track (cn-1) with one day, in the monitor's
    // format of version 2 (before it kept the highest raised level apart): the levels raised as bits, the day's sketch
    // holding the first keys of Genome.
    private static void WriteState(string path, int sketchLength, int windowEnd, int raised = 0, int keys = 0)
    {
        var sketch = new DistinctCountSketch();
        for (var i = 0; i < keys; i++)
        {
            sketch.AddKey($"hmac-{i}");
        }

        var bytes = sketch.ToByteArray();
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write("DAABULK\u0002"u8);
        writer.Write(1);
        writer.Write("human-genomic");
        writer.Write(2);
        writer.Write(0.5);
        writer.Write(1.0);
        writer.Write(1);
        writer.Write("cn-1");
        writer.Write(false);
        writer.Write(0);
        writer.Write(raised);
        writer.Write(windowEnd);
        writer.Write(1);
        writer.Write(windowEnd);
        writer.Write(0L);
        writer.Write(0UL);
        writer.Write(sketchLength == -2 ? bytes.Length : sketchLength);
        writer.Write(bytes);
    }

    private IHost BuildHost(string statePath)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IClock>(_clock);
        builder.Services.AddSingleton(AccessPolicy.ProjectTexas.WithBulkData(Genomic(50)));
        builder.Services.AddDataAccessAudit(audit => audit.AddBulkDataMonitor(options =>
        {
            options.StatePath = statePath;
            options.OnAlert = _alerts.Add;
        }));
        return builder.Build();
    }

    private BulkDataMonitor Monitor(string? statePath = null, BulkDataPolicy? policy = null, double[]? fractions = null) =>
        new(policy ?? Policy, new BulkDataMonitorOptions { StatePath = statePath, AlertFractions = fractions, OnAlert = _alerts.Add }, _clock);

    // Genomes as the one kind, at a threshold a team may lower or raise between runs.
    private static BulkDataPolicy Genomic(long threshold) =>
        new("genomic", [new SensitiveDataKind("human-genomic", threshold)], [new("genome", ["human-genomic"])], Jurisdiction.UnitedStates, Jurisdiction.CountriesOfConcern, []);

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
        public List<(LogLevel Level, EventId Id, string Message, IReadOnlyList<KeyValuePair<string, object?>> Fields)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}
