using System.Globalization;
using DataAccessAudit.BulkData;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
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

        var alerts = new List<BulkThresholdAlert>();
        using var monitor = new BulkDataMonitor(Bulk, new BulkDataMonitorOptions { AlertFractions = [1.0], OnAlert = alerts.Add }, new FakeClock(first));
        foreach (var (_, line) in lines.OrderBy(l => l.Time))
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
            if (row.Crossed)
            {
                Assert.Contains(alerts, a => a.Kind == row.Kind && a.Counterparty == row.Counterparty && a.Threshold == row.Threshold);
            }
        });
    }

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
