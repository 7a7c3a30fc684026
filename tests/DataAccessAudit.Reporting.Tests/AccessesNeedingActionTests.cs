using System.Globalization;
using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using NodaTime;
using static DataAccessAudit.Reporting.Tests.EventLines;

namespace DataAccessAudit.Reporting.Tests;

public sealed class AccessesNeedingActionTests : IDisposable
{
    private const string Denied = "{\"outcome\":\"denied\",\"crossBorder\":true,\"findings\":[\"cross-border-protected-access\"]}";
    private const string Concern = "{\"outcome\":\"flagged\",\"crossBorder\":true,\"findings\":[\"cross-border-protected-access\",\"country-of-concern-access\"]}";
    private const string Crossing = "{\"outcome\":\"flagged\",\"crossBorder\":true,\"findings\":[\"cross-border-protected-access\"]}";
    private const string Unknown = "{\"outcome\":\"flagged\",\"crossBorder\":false,\"findings\":[\"unknown-requester-region\"]}";
    private const string Allowed = "{\"outcome\":\"allowed\",\"crossBorder\":false,\"findings\":[]}";
    private const string Approved = "{\"outcome\":\"approved\",\"crossBorder\":true,\"findings\":[]}";

    private readonly string _directory = Directory.CreateTempSubdirectory("needing-action-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Build_ListsFlaggedAndDenied_MostSevereFirst_NewestFirstWithinEach()
    {
        var report = Report(
            Line("2021-09-01T10:00:00Z", requester: "old-crossing", decision: Crossing),
            Line("2021-09-03T10:00:00Z", requester: "new-crossing", decision: Crossing),
            Line("2021-09-01T09:00:00Z", requester: "unknown", requesterRegion: null, decision: Unknown),
            Line("2021-09-02T10:00:00Z", requester: "allowed", decision: Allowed),
            Line("2021-09-02T11:00:00Z", requester: "approved", decision: Approved),
            Line("2021-09-01T08:00:00Z", requester: "concern", requesterRegion: "CN", decision: Concern),
            Line("2021-08-01T08:00:00Z", requester: "denied", decision: Denied));

        var actions = report.NeedingAction;
        Assert.Equal(["denied", "concern", "new-crossing", "old-crossing", "unknown"], actions.First.Select(r => r.Event.Requester.Id));
        Assert.Equal(5, actions.Count);
        Assert.Equal(1, actions.CountOf(ActionSeverity.Denied));
        Assert.Equal(1, actions.CountOf(ActionSeverity.CountryOfConcern));
        Assert.Equal(2, actions.CountOf(ActionSeverity.CrossBorderProtected));
        Assert.Equal(1, actions.CountOf(ActionSeverity.Flagged));
        Assert.Equal(actions.First, actions.ReadAll());
    }

    [Fact]
    public void Build_EvaluatedEvents_CarryThePolicysDecision()
    {
        // No recorded decision: the policy decides, and the listed record carries that decision.
        var report = Report(Line("2021-09-01T10:00:00Z", requester: "abroad", requesterRegion: "DE"));

        var record = Assert.Single(report.NeedingAction.First);
        Assert.Equal(AccessOutcome.Flagged, record.Decision!.Value.Outcome);
        Assert.Equal(ActionSeverity.CrossBorderProtected, AccessesNeedingAction.SeverityOf(record));
    }

    [Fact]
    public void Build_KeepsOnlyTheFirstRowsInMemory_AndCountsAll()
    {
        var lines = Enumerable.Range(0, 30).Select(i => Line($"2021-09-01T{i % 24:00}:{i:00}:00Z", requester: $"r{i}", decision: Crossing)).ToArray();

        var report = Report(new AccessReportOptions { NeedingActionRows = 4 }, lines);

        Assert.Equal(4, report.NeedingAction.First.Count);
        Assert.Equal(30, report.NeedingAction.Count);
        Assert.Equal(30, report.NeedingAction.ReadAll().Count());
        Assert.Equal(report.NeedingAction.ReadAll().Take(4).Select(AccessEventJson.Format), report.NeedingAction.First.Select(AccessEventJson.Format));
    }

    [Fact]
    public void ReadAll_SpilledToSortedRunsOnSeveralWorkers_EqualsAFullScanSorted()
    {
        // Runs of 7 records: 2,000 flagged or denied events make hundreds of runs, merged level by level.
        var lines = new List<string>();
        var decisions = new[] { Denied, Concern, Crossing, Unknown, Allowed, Approved };
        for (var i = 0; i < 3_000; i++)
        {
            var time = Instant.FromUtc(2021, 9, 1, 0, 0).Plus(Duration.FromMinutes((i * 7919) % 20_000));
            lines.Add(Line(
                InstantPattern(time),
                requester: $"r{i % 37}",
                requesterRegion: i % 11 == 0 ? "CN" : "DE",
                resource: $"user/{i}/dm",
                decision: i % 9 == 0 ? null : decisions[i % decisions.Length]));
        }

        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllLines(path, lines);
        var spilled = new AccessReportBuilder(new AccessReportOptions { NeedingActionRunLength = 7, NeedingActionRows = 10 });
        JsonLinesReportReader.Read([path], spilled, maxDegreeOfParallelism: 3, cancellationToken: TestContext.Current.CancellationToken);
        using var actions = spilled.Build(ReportIntegrity.Unverified).NeedingAction;

        // The full scan: every event through the full parser and the policy, sorted by the documented order.
        var policy = AccessPolicy.ProjectTexas;
        var expected = lines.Select(Record)
            .Select(r => new AccessRecord(r.Event, r.Decision ?? policy.Evaluate(r.Event)))
            .Where(r => r.Decision!.Value.Outcome is AccessOutcome.Flagged or AccessOutcome.Denied)
            .OrderBy(AccessesNeedingAction.SeverityOf).ThenByDescending(r => r.Event.Time).ThenBy(r => r.Event.Id, StringComparer.Ordinal)
            .Select(AccessEventJson.Format)
            .ToList();
        Assert.True(expected.Count > 1_500);
        Assert.Equal(expected, actions.ReadAll().Select(AccessEventJson.Format));
        Assert.Equal(expected.Take(10), actions.First.Select(AccessEventJson.Format));
        Assert.Equal(expected.Count, actions.Count);

        // Reading twice gives the same list; needing-action.csv is the same whether the list was spilled or not.
        Assert.Equal(expected, actions.ReadAll().Select(AccessEventJson.Format));
        var inMemory = new AccessReportBuilder(new AccessReportOptions { NeedingActionRows = 10 });
        JsonLinesReportReader.Read([path], inMemory, maxDegreeOfParallelism: 1, cancellationToken: TestContext.Current.CancellationToken);
        var spilledReport = ReportWith(actions);
        Assert.Equal(Csv(inMemory.Build(ReportIntegrity.Unverified)), Csv(spilledReport));
    }

    [Fact]
    public void ReadAll_AfterDispose_Throws()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions { NeedingActionRunLength = 2, NeedingActionRows = 1 });
        foreach (var i in Enumerable.Range(0, 5))
        {
            builder.Add(Record(Line($"2021-09-01T00:0{i}:00Z", decision: Crossing)));
        }

        var actions = builder.Build(ReportIntegrity.Unverified).NeedingAction;
        actions.Dispose();

        Assert.Throws<ObjectDisposedException>(() => actions.ReadAll().ToList());
        Assert.Single(actions.First);
        Assert.Equal(5, actions.Count);
    }

    [Fact]
    public void FastScanner_AndFullParser_ListTheSameAccesses()
    {
        var lines = new[]
        {
            Line("2021-09-01T10:00:00Z", requester: "a", decision: Crossing, approval: "{\"id\":\"ap-1\",\"approvedBy\":\"security\",\"validUntil\":\"2021-08-01T00:00:00Z\"}"),
            Line("2021-09-01T11:00:00Z", requester: "b", decision: Allowed),
            Line("2021-09-01T12:00:00Z", requester: "c", requesterRegion: "CN", decision: Concern),
        };
        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllLines(path, lines);
        var fast = new AccessReportBuilder(new AccessReportOptions());
        JsonLinesReportReader.Read([path], fast, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(
            Report(lines).NeedingAction.First.Select(AccessEventJson.Format),
            fast.Build(ReportIntegrity.Unverified).NeedingAction.First.Select(AccessEventJson.Format));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Build_AccessesInOneTick_AreNewestFirstToTheNanosecond_ByTheFastScannerAndTheFullParser(bool newerFirstInInput)
    {
        string At(string time, string requester) =>
            $"{{\"schema\":\"access-event/1\",\"id\":\"X\",\"time\":\"{time}\",\"requester\":{{\"id\":\"{requester}\",\"region\":\"SG\"}},"
            + "\"resource\":{\"id\":\"x\",\"category\":\"protected\",\"region\":\"US\"},\"action\":\"read\"}";
        var older = At("2021-09-14T07:31:02.00000001Z", "older");
        var newer = At("2021-09-14T07:31:02.00000009Z", "newer");
        var lines = newerFirstInInput ? new[] { newer, older } : [older, newer];
        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllLines(path, lines);
        var fast = new AccessReportBuilder(new AccessReportOptions());
        JsonLinesReportReader.Read([path], fast, cancellationToken: TestContext.Current.CancellationToken);

        foreach (var report in new[] { fast.Build(ReportIntegrity.Unverified), Report(lines) })
        {
            Assert.Equal(["newer", "older"], report.NeedingAction.First.Select(r => r.Event.Requester.Id));
            Assert.Equal(["newer", "older"], report.NeedingAction.ReadAll().Select(r => r.Event.Requester.Id));
            var csv = Csv(report).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(",newer,", csv[1], StringComparison.Ordinal);
            Assert.Contains(",older,", csv[2], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Build_AccessesOfOneTime_AreInTheOrdinalOrderOfTheirIds_AsTheReportsOtherLists()
    {
        // U+10000 is a surrogate pair in UTF-16, so it sorts before U+FF21 there, while its UTF-8 bytes sort after.
        string With(string id) =>
            $"{{\"schema\":\"access-event/1\",\"id\":\"{id}\",\"time\":\"2021-09-14T07:31:02Z\",\"requester\":{{\"id\":\"r\",\"region\":\"SG\"}},"
            + "\"resource\":{\"id\":\"x\",\"category\":\"protected\",\"region\":\"US\"},\"action\":\"read\"}";
        string[] ids = ["\uFF21", "\U00010000", "a", "\uE000", "\uD7FF"];
        var expected = ids.Order(StringComparer.Ordinal).ToArray();
        var lines = ids.Select(With).ToArray();
        var path = Path.Combine(_directory, "ids.jsonl");
        File.WriteAllLines(path, lines);
        var fast = new AccessReportBuilder(new AccessReportOptions());
        JsonLinesReportReader.Read([path], fast, cancellationToken: TestContext.Current.CancellationToken);

        foreach (var report in new[] { fast.Build(ReportIntegrity.Unverified), Report(lines) })
        {
            Assert.Equal(expected, report.NeedingAction.ReadAll().Select(r => r.Event.Id));
        }

        Assert.Equal(["a", "\uD7FF", "\U00010000", "\uE000", "\uFF21"], expected);
    }

    [Fact]
    public void Csv_ListsEveryAccess_WithItsApproval_InTheReportsZone_AndNeutralisesFormulas()
    {
        var options = new AccessReportOptions { Period = ReportPeriod.All(DateTimeZoneProviders.Tzdb["Europe/Berlin"]), NeedingActionRows = 1 };
        var report = Report(
            options,
            Line("2021-09-01T10:00:00Z", requester: "=HYPERLINK(\"x\")", decision: Crossing, approval: "{\"id\":\"ap-1\",\"approvedBy\":\"security\",\"validUntil\":\"2021-08-01T00:00:00Z\"}"),
            Line("2021-09-02T10:00:00Z", requester: "emp-2", requesterRegion: "CN", decision: Concern));

        var csv = Csv(report).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, csv.Length);
        Assert.Equal(string.Join(',', NeedingActionText.CsvHeader), csv[0]);
        Assert.StartsWith("2021-09-02T12:00:00+02,country-of-concern,flagged,", csv[1], StringComparison.Ordinal);
        Assert.StartsWith("2021-09-01T12:00:00+02,cross-border-protected,flagged,", csv[2], StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\")\",US,", csv[2], StringComparison.Ordinal);
        Assert.EndsWith(",cross-border-protected-access,ap-1,security,,2021-08-01T00:00:00Z,expired", csv[2], StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlAndMarkdown_ListTheFirstRows_AndSayWhereTheRestAre()
    {
        var options = new AccessReportOptions { NeedingActionRows = 1 };
        var report = Report(
            options,
            Line("2021-09-01T10:00:00Z", requester: "emp-<1>", decision: Crossing, approval: "{\"id\":\"ap-9\",\"approvedBy\":\"security\",\"validFrom\":\"2021-10-01T00:00:00Z\"}"),
            Line("2021-09-02T10:00:00Z", requester: "emp-2", decision: Denied));

        var html = Html(report);
        var markdown = Markdown(report);

        Assert.Contains("<section id=\"needing-action\">", html, StringComparison.Ordinal);
        Assert.Contains("The first 1 of 2 are listed", html, StringComparison.Ordinal);
        Assert.Contains("emp-<wbr>2", html, StringComparison.Ordinal);
        Assert.Contains("Denied: <strong>1</strong>", html, StringComparison.Ordinal);
        Assert.Contains("## Accesses needing action", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2021-09-02T10:00:00Z | denied | emp-2 | US |", markdown, StringComparison.Ordinal);
        Assert.Contains("_1 more row in `needing-action.csv`._", markdown, StringComparison.Ordinal);

        var all = Report(Line("2021-09-01T10:00:00Z", decision: Crossing, approval: "{\"id\":\"ap-9\",\"approvedBy\":\"security\",\"validFrom\":\"2021-10-01T00:00:00Z\"}"));
        Assert.Contains("ap-9 by security, not valid before 2021-10-01T00:00:00Z", Html(all), StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlAndMarkdown_ShowTimesToTheSecond_WhileTheCsvHasThemExactly()
    {
        var report = Report(Line(
            "2021-09-01T10:00:00.9876543Z",
            decision: Crossing,
            approval: "{\"id\":\"ap-7\",\"approvedBy\":\"security\",\"validUntil\":\"2021-09-01T10:00:00.25Z\"}"));

        Assert.Contains("<td class=\"when\">2021-09-01T10:00:00Z</td>", Html(report), StringComparison.Ordinal);
        Assert.Contains("ap-7 by security, expired 2021-09-01T10:00:00Z", Html(report), StringComparison.Ordinal);
        Assert.Contains("| 2021-09-01T10:00:00Z | cross-border-protected |", Markdown(report), StringComparison.Ordinal);
        Assert.Contains("ap-7 by security, expired 2021-09-01T10:00:00Z |", Markdown(report), StringComparison.Ordinal);
        var row = Csv(report).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.StartsWith("2021-09-01T10:00:00.9876543Z,", row, StringComparison.Ordinal);
        Assert.EndsWith(",2021-09-01T10:00:00.25Z,expired", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Writers_WithNothingToAct_SayNone()
    {
        var report = Report(Line("2021-09-01T10:00:00Z", decision: Allowed));

        Assert.Contains("None: no access was flagged or denied.", Html(report), StringComparison.Ordinal);
        Assert.Contains("None: no access was flagged or denied.", Markdown(report), StringComparison.Ordinal);
        Assert.Equal(string.Join(',', NeedingActionText.CsvHeader) + "\r\n", Csv(report));
    }

    [Fact]
    public void Json_CountsBySeverity()
    {
        var report = Report(Line("2021-09-01T10:00:00Z", decision: Denied), Line("2021-09-01T11:00:00Z", decision: Crossing), Line("2021-09-01T12:00:00Z", decision: Crossing));

        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(report));
        var section = json.RootElement.GetProperty("needingAction");

        Assert.Equal(3, section.GetProperty("events").GetInt64());
        Assert.Equal(1, section.GetProperty("denied").GetInt64());
        Assert.Equal(0, section.GetProperty("countryOfConcern").GetInt64());
        Assert.Equal(2, section.GetProperty("crossBorderProtected").GetInt64());
        Assert.Equal(0, section.GetProperty("otherFlagged").GetInt64());
    }

    private static string InstantPattern(Instant time) => NodaTime.Text.InstantPattern.General.Format(time);

    private static AccessReport ReportWith(AccessesNeedingAction actions) =>
        new(
            "test/1",
            ReportPeriod.All(DateTimeZone.Utc),
            new ReportTotals(default, 0),
            [],
            [],
            [],
            [],
            [],
            [],
            ReportIntegrity.Unverified,
            [],
            0)
        {
            NeedingAction = actions,
        };

    private static string Csv(AccessReport report)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        AccessReportCsvWriter.Write(writer, report, ReportTable.NeedingAction);
        return writer.ToString();
    }

    private static string Html(AccessReport report)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        AccessReportHtmlWriter.Write(writer, report);
        return writer.ToString();
    }

    private static string Markdown(AccessReport report)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        AccessReportMarkdownWriter.Write(writer, report);
        return writer.ToString();
    }
}
