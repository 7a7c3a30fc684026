using System.Globalization;
using DataAccessAudit.BulkData;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Formats;
using NodaTime;
using NodaTime.Testing;
using static DataAccessAudit.Reporting.Tests.BulkData.BulkLines;

namespace DataAccessAudit.Reporting.Tests.BulkData;

// The report's bulkThresholds section and the live BulkDataMonitor count the same figures from the same accesses: a
// compliance team reading the report must see what the monitor alerted on.
public sealed class BulkMonitorAgreementTests
{
    private static readonly BulkDataPolicy Bulk = BulkDataPolicy.DataSecurityProgram.WithCoveredOrganizations(["ByteDance"]);
    private static readonly string[] Types = ["genome", "health-record", "contact-info", "government-personnel", "precise-location"];
    private static readonly (string Id, string Region, string? Organization)[] Requesters = [("cn-1", "CN", null), ("cn-2", "HK", null), ("bd-1", "SG", "ByteDance"), ("bd-2", "US", "bytedance")];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Report_OfTheMonitorsEvents_HasTheMonitorsFiguresInUtc(int seed)
    {
        var random = new Random(seed);
        var first = Instant.FromUtc(2021, 1, 1, 0, 0);
        var last = new LocalDate(2022, 12, 31);
        var lines = new List<(Instant Time, string Line)>();
        for (var i = 0; i < 1_500; i++)
        {
            // Two years of accesses, a third of them in the last seconds or first seconds of a UTC day.
            var day = first + Duration.FromDays(random.Next(730));
            var time = (random.Next(3)) switch
            {
                0 => day + Duration.FromSeconds(random.Next(2)),
                1 => day + Duration.FromDays(1) - Duration.FromSeconds(1 + random.Next(2)),
                _ => day + Duration.FromSeconds(random.Next(86_400)),
            };
            lines.Add((time, RandomLine(random, time)));
        }

        // Every counterparty and kind is seen on the last day, so that every monitor window ends where the report's does.
        foreach (var (id, region, organization) in Requesters)
        {
            foreach (var type in Types)
            {
                var time = last.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() + Duration.FromHours(12);
                lines.Add((time, Line(Format(time), id, region, organization, type, keys: ["hmac-last"])));
            }
        }

        // Delivered as the recording pipeline may deliver them: in order but for a few seconds either way, with the
        // default alert levels.
        var alerts = new List<BulkThresholdAlert>();
        using var monitor = new BulkDataMonitor(Bulk, new BulkDataMonitorOptions { OnAlert = alerts.Add }, new FakeClock(first));
        foreach (var (_, line) in lines.OrderBy(l => l.Time + Duration.FromSeconds(random.Next(-3, 4))))
        {
            monitor.Observe(AccessEventJson.Parse(line));
        }

        var report = EventLines.Report(
            new AccessReportOptions { Policy = AccessPolicy.ProjectTexas.WithBulkData(Bulk), Period = ReportPeriod.Create(new LocalDate(2022, 12, 1), last, DateTimeZone.Utc) },
            [.. lines.Select(l => l.Line)]);

        var rows = report.BulkThresholds.Where(r => r.Counterparty is not null).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, row =>
        {
            Assert.Equal(row.DistinctPersons, monitor.DistinctPersons(row.Counterparty!.Value, row.Kind));
            var crossings = alerts.Where(a => a.Kind == row.Kind && a.Counterparty == row.Counterparty && a.Level == 1.0).ToList();
            if (row.Crossed)
            {
                Assert.Contains(crossings, a => a.Threshold == row.Threshold);
            }

            // The 12 months ending on a crossing's date held at least the people the monitor had seen then, so the report
            // finds them crossed on that date or earlier.
            if (crossings.Where(a => row.Window.Contains(a.Date)).MinBy(a => a.Date) is { } crossing)
            {
                Assert.True(row.FirstCrossed <= crossing.Date, $"{row.Kind} {row.Counterparty}: alert on {crossing.Date}, first crossed {row.FirstCrossed}");
            }
        });

        // Data counted at any amount raises the crossing only, never a warning before it.
        Assert.All(alerts.Where(a => a.Threshold == 0), a => Assert.Equal(1.0, a.Level));
    }

    [Theory]
    [InlineData(50, false)]
    [InlineData(51, true)]
    public void HalfWay_OfTheGenomicThreshold_IsPassedAtOneMoreThanHalf_ByTheMonitorAndTheHtmlReport(int persons, bool passed)
    {
        // The HTML report shades a row at the level where the monitor's default alerts first warn: more than half of
        // 100, as the threshold itself is crossed at more than 100.
        var lines = new[] { Line("2022-06-30T12:00:00Z", keys: Enumerable.Range(0, persons).Select(k => $"hmac-{k}")) };
        var alerts = Observe(new BulkDataMonitorOptions(), lines);
        var report = Report(AccessPolicy.ProjectTexas.WithBulkData(Bulk), lines);

        using var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        Assert.Equal(passed, alerts.Any(a => a.Kind == "human-genomic" && a.Level == 0.5));
        Assert.Equal(passed, html.ToString().Contains("class=\"threshold half\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Crossed_AThresholdBeyondWhatADoubleHoldsExactly_IsCrossedAtTheSamePersonByTheMonitorAndTheReport()
    {
        // 2^53 + 1 persons (an upper bound of subjects without keys) are more than a threshold of 2^53; as doubles both are
        // 2^53, which is not more than itself.
        const long threshold = 1L << 53;
        var bulk = new BulkDataPolicy("large", [new SensitiveDataKind("large", threshold)], [new("genome", ["large"])], Jurisdiction.UnitedStates, Jurisdiction.CountriesOfConcern, []);
        string[] lines = [Line("2022-06-30T12:00:00Z", subjects: threshold - 1), Line("2022-06-30T12:00:01Z", subjects: 2)];

        var alerts = Observe(bulk, new BulkDataMonitorOptions { AlertFractions = [1.0] }, lines);
        var row = Assert.Single(Report(AccessPolicy.ProjectTexas.WithBulkData(bulk), lines).BulkThresholds, r => r.Counterparty is not null);

        Assert.Equal(threshold + 1, row.DistinctPersons);
        Assert.True(row.Crossed);
        Assert.Equal(threshold, Assert.Single(alerts).Threshold);
    }

    [Fact]
    public void GovernmentRelatedData_OnePerson_IsOneCrossingAlert_AndACrossedRowOfThatDate()
    {
        // Any amount of government-related data crosses its threshold of zero (28 CFR 202.222): the monitor's default
        // levels raise the crossing once, with no half-way warning, and the report marks the same crossing.
        string[] lines = [Line("2022-06-20T12:00:00Z", type: "government-personnel", keys: ["hmac-1"])];

        var alerts = Observe(new BulkDataMonitorOptions(), lines).Where(a => a.Kind == "government-related").ToList();
        var report = Report(AccessPolicy.ProjectTexas.WithBulkData(Bulk), lines);
        var row = Assert.Single(report.BulkThresholds, r => r.Kind == "government-related" && r.Counterparty is not null);

        var alert = Assert.Single(alerts);
        Assert.Equal(1.0, alert.Level);
        Assert.True(row.Crossed);
        Assert.Equal(alert.Date, row.FirstCrossed);
        using var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        Assert.Contains("class=\"threshold crossed\"", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ALateAccess_ThatCrossesTheThreshold_IsDatedAtTheEndOfTheWindowItCrossed_AsTheReportsFirstCrossed()
    {
        // The recording pipeline may hand the monitor an access after a later one (a batch written out of order, clocks
        // a moment apart). The person it adds crosses the window ending on the latest day seen, not the 12 months
        // ending on its own date, which the report finds below the threshold.
        string[] lines =
        [
            Line("2022-06-10T00:00:01Z", keys: Enumerable.Range(0, 100).Select(k => $"hmac-{k}")),
            Line("2022-06-09T23:59:59Z", keys: ["hmac-100"]),
        ];

        var alert = Assert.Single(Observe(new BulkDataMonitorOptions { AlertFractions = [1.0] }, lines), a => a.Kind == "human-genomic");
        var row = Assert.Single(Report(AccessPolicy.ProjectTexas.WithBulkData(Bulk), lines).BulkThresholds, r => r.Kind == "human-genomic" && r.Counterparty is not null);

        Assert.Equal(101, alert.DistinctPersons);
        Assert.Equal(new LocalDate(2022, 6, 10), row.FirstCrossed);
        Assert.Equal(row.FirstCrossed, alert.Date);
    }

    private static List<BulkThresholdAlert> Observe(BulkDataMonitorOptions options, IEnumerable<string> lines) => Observe(Bulk, options, lines);

    private static List<BulkThresholdAlert> Observe(BulkDataPolicy bulk, BulkDataMonitorOptions options, IEnumerable<string> lines)
    {
        var alerts = new List<BulkThresholdAlert>();
        options.OnAlert = alerts.Add;
        using var monitor = new BulkDataMonitor(bulk, options, new FakeClock(Instant.FromUtc(2022, 6, 30, 0, 0)));
        foreach (var line in lines)
        {
            monitor.Observe(AccessEventJson.Parse(line));
        }

        return alerts;
    }

    // The report over the month that ends on 2022-06-30, in UTC as the monitor counts.
    private static AccessReport Report(AccessPolicy policy, IEnumerable<string> lines) =>
        EventLines.Report(new AccessReportOptions { Policy = policy, Period = ReportPeriod.Create(new LocalDate(2022, 6, 1), new LocalDate(2022, 6, 30), DateTimeZone.Utc) }, [.. lines]);

    private static string RandomLine(Random random, Instant time)
    {
        var (id, region, organization) = Requesters[random.Next(Requesters.Length)];
        var type = Types[random.Next(Types.Length)];
        var decision = random.Next(10) == 0 ? DeniedDecision : Flagged;
        if (random.Next(8) == 0)
        {
            return Line(Format(time), id, region, organization, type, subjects: 1 + random.Next(30), decision: decision);
        }

        var start = random.Next(20_000);
        var keys = Enumerable.Range(start, 1 + random.Next(40)).Select(k => $"hmac-{k % 20_000}");
        return Line(Format(time), id, region, organization, type, keys: keys, decision: decision);
    }

    private static string Format(Instant time) => time.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
