using System.Text.Json.Nodes;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using DataAccessAudit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.PostgreSql.Tests;

// The same events recorded at once into the file log and into PostgreSQL (one pipeline, two sinks, so the same
// decisions) give the same access-report/1 whether counted from the file or computed in SQL. The rule, stated in
// docs/reports.md: report.json is byte-identical once its "source" member is removed, since that member says what
// was read (a log directory and its last record, or input files; the tool; when) and so differs by store by design;
// integrity problems, listed for unkeyed or unchecked chains, give the same verdict in the same words, but name each
// store's own place and the remedy in its own options.
public sealed class ReportEqualityTests(PostgreSqlServer server) : IDisposable
{
    private const string KeyId = "k-2026";
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
    private static readonly Dictionary<string, byte[]> Keys = new() { [KeyId] = Key };

    private readonly string _directory = Directory.CreateTempSubdirectory("audit-equality-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("UTC", null, null)]
    [InlineData("America/Los_Angeles", "2021-10-31", "2021-11-09")] // a bounded period across the end of daylight saving
    [InlineData("Asia/Shanghai", "2021-11-02", "2021-11-02")]
    [InlineData("Pacific/Chatham", "2021-11-01", null)] // a zone 12:45 ahead of UTC, open-ended
    [InlineData("UTC", "2030-01-01", "2030-01-31")] // a period with no events: both say how many lie outside it
    public async Task The_database_report_json_equals_the_file_logs_but_for_its_source(string zoneId, string? from, string? to)
    {
        var (db, log) = await RecordBothAsync(Stories.Events(3000, seed: 51), keyed: true);
        var options = new AccessReportOptions
        {
            Period = ReportPeriod.Create(Date(from), Date(to), DateTimeZoneProviders.Tzdb[zoneId]),
        };
        var builder = new AccessReportBuilder(options);
        var integrity = FileLogReportReader.Read(log, Keys, builder, cancellationToken: TestContext.Current.CancellationToken);
        var fromFile = builder.Build(integrity, new ReportSource([], "test", Instant.FromUtc(2026, 12, 1, 0, 0)));

        await using var store = new PostgreSqlAuditStore(db);
        var fromDatabase = await store.BuildReportAsync(options, Keys, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(fromFile.Totals.Counts.Events > 0 || from == "2030-01-01", "the period holds events");
        Assert.Equal("verified", fromDatabase.Integrity.StatusName);
        Assert.Equal(fromFile.EventsOutsidePeriod, fromDatabase.EventsOutsidePeriod);
        Assert.Equal(WithoutSource(fromFile), WithoutSource(fromDatabase));
    }

    [Theory]
    [InlineData(false)] // unkeyed: both list the caveat
    [InlineData(true)] // keyed, no key given: both say the chain was not checked
    public async Task Unkeyed_and_unchecked_chains_list_the_same_problems_in_both_reports(bool keyed)
    {
        var (db, log) = await RecordBothAsync(Stories.Events(500, seed: 53), keyed);
        var options = new AccessReportOptions();
        var builder = new AccessReportBuilder(options);
        var fromFile = builder.Build(FileLogReportReader.Read(log, keys: null, builder, cancellationToken: TestContext.Current.CancellationToken));
        await using var store = new PostgreSqlAuditStore(db);
        var fromDatabase = await store.BuildReportAsync(options, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(keyed ? "unverified" : "verified-unkeyed", fromDatabase.Integrity.StatusName);
        var problem = Assert.Single(fromDatabase.Integrity.Problems);
        Assert.Equal("postgresql:web", problem.Source);
        var fileProblem = Assert.Single(fromFile.Integrity.Problems);
        Assert.Equal(fileProblem.Message.Split(';')[0], problem.Message.Split(';')[0]);
        Assert.Equal(WithoutSource(fromFile, problems: true), WithoutSource(fromDatabase, problems: true));
    }

    [Fact]
    public async Task A_policy_with_bulk_data_thresholds_gives_the_same_report_from_the_database()
    {
        var (db, log) = await RecordBothAsync(Stories.Events(1000, seed: 52), keyed: true);
        var options = new AccessReportOptions { Policy = AccessPolicy.ProjectTexas.WithBulkData(BulkData.BulkDataPolicy.DataSecurityProgram) };
        var builder = new AccessReportBuilder(options);
        var fromFile = builder.Build(FileLogReportReader.Read(log, Keys, builder, cancellationToken: TestContext.Current.CancellationToken));
        await using var store = new PostgreSqlAuditStore(db);
        var fromDatabase = await store.BuildReportAsync(options, Keys, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEmpty(fromFile.BulkThresholds);
        Assert.Equal(WithoutSource(fromFile), WithoutSource(fromDatabase));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("2021-10-30", "2021-11-05")] // the events beyond the calendar lie outside the period: still problems
    public async Task Events_beyond_the_calendar_in_the_zone_are_the_same_input_problems_in_both_reports_whatever_the_period(string? from, string? to)
    {
        var events = Stories.Events(300, seed: 54);
        var last = events[0];
        events.Add(new Events.AccessEvent("late", Instant.FromUtc(9999, 12, 31, 14, 30, 59), last.Requester, last.Resource, last.Action)); // 10000-01-01 in Apia
        events.Add(new Events.AccessEvent("later", Instant.FromUtc(9999, 12, 31, 20, 0), last.Requester, last.Resource, last.Action));
        var (db, log) = await RecordBothAsync(events, keyed: true);
        var options = new AccessReportOptions { Period = ReportPeriod.Create(Date(from), Date(to), DateTimeZoneProviders.Tzdb["Pacific/Apia"]) };
        var builder = new AccessReportBuilder(options);
        var fromFile = builder.Build(FileLogReportReader.Read(log, Keys, builder, cancellationToken: TestContext.Current.CancellationToken));
        await using var store = new PostgreSqlAuditStore(db);
        var fromDatabase = await store.BuildReportAsync(options, Keys, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, fromFile.InputProblemCount);
        Assert.Equal(2, fromDatabase.InputProblemCount);
        Assert.Equal(fromFile.InputProblems.Select(p => p.Message), fromDatabase.InputProblems.Select(p => p.Message));
        Assert.Equal(["event 'late'", "event 'later'"], fromDatabase.InputProblems.Select(p => p.Source));
        Assert.Equal(fromFile.EventsOutsidePeriod, fromDatabase.EventsOutsidePeriod);
        Assert.Equal(WithoutSource(fromFile, inputProblems: true), WithoutSource(fromDatabase, inputProblems: true));
    }

    [Theory]
    [InlineData("America/Moncton", "2005-10-29", "2005-10-31", 2005, 10, 30)] // clocks go back from 00:01 to 23:01
    [InlineData("America/Moncton", "2005-10-30", "2005-10-30", 2005, 10, 30)]
    [InlineData("America/Sitka", "1867-10-17", "1867-10-20", 1867, 10, 18)] // a whole day came again
    public async Task Daily_where_clocks_go_back_across_midnight_is_the_same_in_both_reports_and_adds_up_to_the_totals(string zoneId, string from, string to, int year, int month, int day)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var around = new LocalDate(year, month, day);
        var start = around.PlusDays(-3).AtStartOfDayInZone(zone).ToInstant();
        var events = Stories.Events(600, seed: 55)
            .Select((e, i) => new Events.AccessEvent(e.Id, start + Duration.FromMinutes(17 * i), e.Requester, e.Resource, e.Action))
            .ToList();
        var (db, log) = await RecordBothAsync(events, keyed: true);
        var options = new AccessReportOptions { Period = ReportPeriod.Create(Date(from), Date(to), zone) };
        var builder = new AccessReportBuilder(options);
        var fromFile = builder.Build(FileLogReportReader.Read(log, Keys, builder, cancellationToken: TestContext.Current.CancellationToken));
        await using var store = new PostgreSqlAuditStore(db);
        var fromDatabase = await store.BuildReportAsync(options, Keys, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(fromFile.Totals.Counts.Events, fromFile.Daily.Sum(d => d.Counts.Events));
        Assert.Equal(fromDatabase.Totals.Counts.Events, fromDatabase.Daily.Sum(d => d.Counts.Events));
        Assert.Equal(WithoutSource(fromFile), WithoutSource(fromDatabase));
    }

    // Events decided by an app's policy and by Project Texas: the queries say which policies decided them as a file's
    // report does; once some events carry no decision the store streams its rows, and the report's policy evaluated those.
    [Fact]
    public async Task Which_policies_decided_the_events_is_the_same_from_the_queries_the_stream_and_the_records()
    {
        var db = await server.CreateDatabaseAsync();
        var app = AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas);
        app.Name = "my-app";
        app.Version = "1";
        var myApp = app.ToPolicy();
        var decided = Stories.Events(60, seed: 71).Select((e, i) => new AccessRecord(e, (i % 3 == 0 ? AccessPolicy.ProjectTexas : myApp).Evaluate(e))).ToArray();
        var undecided = Stories.Events(5, seed: 72, prefix: "u").Select(e => new AccessRecord(e, null)).ToArray();
        var options = new AccessReportOptions();
        await using var store = new PostgreSqlAuditStore(db);

        using (var sink = Stories.Sink(db, "web"))
        {
            await sink.WriteAsync(decided, TestContext.Current.CancellationToken);
        }

        var fromQueries = (await store.BuildReportAsync(options, cancellationToken: TestContext.Current.CancellationToken)).DecidedBy!;
        Assert.Equal([new RecordedPolicyCount("my-app/1", 40), new RecordedPolicyCount("project-texas/1", 20)], fromQueries.Recorded);
        Assert.Equal(0, fromQueries.Evaluated);
        Assert.Equal(DecidedBy(options, decided), fromQueries.Recorded);

        using (var sink = Stories.Sink(db, "api"))
        {
            await sink.WriteAsync(undecided, TestContext.Current.CancellationToken);
        }

        var streamed = (await store.BuildReportAsync(options, cancellationToken: TestContext.Current.CancellationToken)).DecidedBy!;
        Assert.Equal(fromQueries.Recorded, streamed.Recorded);
        Assert.Equal(5, streamed.Evaluated);
        Assert.Equal(DecidedBy(options, [.. decided, .. undecided]), streamed.Recorded);
    }

    // The recorded decisions by policy that a builder counts of the same records.
    private static IReadOnlyList<RecordedPolicyCount> DecidedBy(AccessReportOptions options, AccessRecord[] records)
    {
        using var builder = new AccessReportBuilder(options);
        builder.AddRange(records);
        return builder.Build(ReportIntegrity.Unverified).DecidedBy!.Recorded;
    }

    private static LocalDate? Date(string? text) => text is null ? null : LocalDatePattern.Iso.Parse(text).Value;

    // One pipeline, two sinks: the file log and the database get the same events with the same decisions.
    private async Task<(string Db, string Log)> RecordBothAsync(IEnumerable<Events.AccessEvent> events, bool keyed)
    {
        var db = await server.CreateDatabaseAsync();
        var log = Path.Combine(_directory, "log");
        var key = Convert.ToBase64String(Key);
        await using (var provider = Stories.Recorder(db, "web",
            audit => audit.AddFileLog(o =>
            {
                o.Directory = log;
                o.KeyId = keyed ? KeyId : null;
                o.Key = keyed ? key : null;
            }),
            options: o =>
            {
                o.KeyId = keyed ? KeyId : null;
                o.Key = keyed ? key : null;
            }))
        {
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            foreach (var e in events)
            {
                auditor.Record(e);
            }

            await auditor.FlushAsync(TestContext.Current.CancellationToken);
        }

        return (db, log);
    }

    // Without the source, and optionally the integrity problems or the places of the input problems (a file names the
    // segment and line, the database the event).
    private static string WithoutSource(AccessReport report, bool problems = false, bool inputProblems = false)
    {
        var json = JsonNode.Parse(AccessReportJsonWriter.Format(report))!.AsObject();
        json.Remove("source");
        if (problems)
        {
            json["integrity"]!.AsObject().Remove("problems");
        }

        if (inputProblems)
        {
            json.Remove("inputProblems");
        }

        return json.ToJsonString();
    }
}
