using System.Text;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using NodaTime;

namespace DataAccessAudit.Reporting.Tests;

// A report keeps the decisions its events carry, so its own policy decided only the events without one: it says
// which policies decided them, the same figure whichever path read the lines, and words it in every human format.
public sealed class DecidedByTests : IDisposable
{
    private static readonly AccessReportOptions Options = new()
    {
        Period = ReportPeriod.Create(new LocalDate(2021, 9, 1), new LocalDate(2021, 9, 30), DateTimeZone.Utc),
    };

    // In the period: my-app/1 four times (once with its name escaped, which only the full parser reads), a-other/1 and
    // z-other/2 twice each, a decision that names no policy once, and two events without a decision; outside it, one
    // more my-app/1.
    private static readonly string[] Lines =
    [
        Line("2021-09-02T10:00:00Z", "\"my-app/1\""),
        Line("2021-09-02T10:00:01Z", "\"z-other/2\""),
        Line("2021-09-02T10:00:02Z", "\"my-app/1\""),
        Line("2021-09-02T10:00:03Z", "\"a-other/1\""),
        Line("2021-09-02T10:00:04Z", null),
        Line("2021-09-03T10:00:00Z", "\"my\\u002dapp/1\""),
        Line("2021-09-03T10:00:01Z", "\"a-other/1\""),
        Line("2021-09-03T10:00:02Z", "\"z-other/2\""),
        Line("2021-09-03T10:00:03Z", "\"my-app/1\""),
        EventLines.Line("2021-09-04T10:00:00Z"),
        EventLines.Line("2021-09-04T10:00:01Z", decision: "null"),
        Line("2021-10-04T10:00:00Z", "\"my-app/1\""),
    ];

    private static readonly RecordedPolicyCount[] Expected =
    [
        new("my-app/1", 4),
        new("a-other/1", 2),
        new("z-other/2", 2),
        new(null, 1),
    ];

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"decided-by-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Build_FromRecords_CountsTheRecordedDecisionsByPolicy_AndTheEventsTheReportsPolicyEvaluated()
    {
        var decidedBy = EventLines.Report(Options, Lines).DecidedBy!;

        Assert.Equal(Expected, decidedBy.Recorded);
        Assert.Equal(2, decidedBy.Evaluated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_CompactAndSpacedLines_GiveTheFullParsersFigure(bool spaced)
    {
        // Spaced lines are declined by the compact pass and taken by the scanner's reader path.
        var lines = spaced ? Lines.Select(l => l.Replace("\":", "\": ", StringComparison.Ordinal).Replace(",\"", ", \"", StringComparison.Ordinal)).ToArray() : Lines;
        Assert.True(new EventLineCounter(new AccessReportBuilder(Options)).TryCount(Encoding.UTF8.GetBytes(lines[0])), "the scanner takes a decided line");
        File.WriteAllLines(_path, lines);

        foreach (var reevaluate in new[] { false, true })
        {
            var options = new AccessReportOptions { Period = Options.Period, Reevaluate = reevaluate };
            var builder = new AccessReportBuilder(options);
            JsonLinesReportReader.Read([_path], builder, maxDegreeOfParallelism: 3, cancellationToken: TestContext.Current.CancellationToken);
            var report = builder.Build(ReportIntegrity.Unverified);

            Assert.Equal(reevaluate ? [] : Expected, report.DecidedBy!.Recorded);
            Assert.Equal(reevaluate ? 11 : 2, report.DecidedBy.Evaluated);
            Assert.Equal(AccessReportJsonWriter.Format(EventLines.Report(options, Lines)), AccessReportJsonWriter.Format(report));
        }
    }

    [Fact]
    public void Json_DecidedBy_ListsThePoliciesWithTheirEvents_AndKeepsPolicyTheReportsOwn()
    {
        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(EventLines.Report(Options, Lines)));
        var root = json.RootElement;

        Assert.Equal("project-texas/1", root.GetProperty("policy").GetString());
        var decidedBy = root.GetProperty("decidedBy");
        Assert.Equal(
            ["my-app/1:4", "a-other/1:2", "z-other/2:2", "null:1"],
            decidedBy.GetProperty("recorded").EnumerateArray().Select(r => $"{r.GetProperty("policy").GetString() ?? "null"}:{r.GetProperty("events").GetInt64()}"));
        Assert.Equal(2, decidedBy.GetProperty("evaluated").GetInt64());
    }

    [Fact]
    public void Words_AnAppsOwnPolicy_SayItDecidedTheEvents_AndTheReportsPolicyNone()
    {
        var report = EventLines.Report(Options, [.. Enumerable.Range(0, 12).Select(i => Line($"2021-09-02T10:00:{i:00}Z", "\"my-app/1\""))]);
        const string Words = "my-app/1 (12 events, recorded); project-texas/1 evaluated none";

        Assert.Equal(Words, ReportFigures.DecidedBy(report));
        var markdown = Markdown(report);
        Assert.Contains("- **Decided by:** `my-app/1` (12 events, recorded); `project-texas/1` evaluated none", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("**Policy:**", markdown, StringComparison.Ordinal);
        var html = Html(report);
        Assert.Contains("Decided by: <code>my-app/1</code> (12 events, recorded); <code>project-texas/1</code> evaluated none", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Policy: <code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Words_SeveralPoliciesAndUndecidedEvents_ListEachInTheReportsOrder()
    {
        var report = EventLines.Report(Options, Lines);

        Assert.Equal(
            "my-app/1 (4 events, recorded); a-other/1 (2 events, recorded); z-other/2 (2 events, recorded); "
            + "unnamed policy (1 event, recorded); project-texas/1 evaluated 2 events",
            ReportFigures.DecidedBy(report));
        Assert.Contains(
            "`z-other/2` (2 events, recorded); unnamed policy (1 event, recorded); `project-texas/1` evaluated 2 events",
            Markdown(report),
            StringComparison.Ordinal);
        Assert.Equal("project-texas/1 evaluated 11 events", ReportFigures.DecidedBy(EventLines.Report(new AccessReportOptions { Period = Options.Period, Reevaluate = true }, Lines)));
    }

    [Fact]
    public void Words_HostilePolicyNames_StayText()
    {
        var report = EventLines.Report(Options, Line("2021-09-02T10:00:00Z", "\"<b>x</b>`|\\n\""));

        var html = Html(report);
        Assert.Contains("<code>&lt;b&gt;x&lt;/b&gt;`|\\u000A</code> (1 event, recorded)", html, StringComparison.Ordinal);
        Assert.Contains("``<b>x</b>`|\\u000A`` (1 event, recorded)", Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Words_ManyPolicies_NameTheTenMostFrequentAndCountTheRest()
    {
        // The input chooses the names: twelve policies, policy-00 deciding twelve events down to policy-11 deciding one.
        var lines = Enumerable.Range(0, 12)
            .SelectMany(p => Enumerable.Range(0, 12 - p).Select(i => Line($"2021-09-{p + 2:00}T10:00:{i:00}Z", $"\"policy-{p:00}/1\"")))
            .ToArray();

        var words = ReportFigures.DecidedBy(EventLines.Report(Options, lines));

        Assert.StartsWith("policy-00/1 (12 events, recorded); policy-01/1 (11 events, recorded);", words, StringComparison.Ordinal);
        Assert.EndsWith("policy-09/1 (3 events, recorded); 2 more policies (3 events, recorded; all in report.json); project-texas/1 evaluated none", words, StringComparison.Ordinal);
        Assert.DoesNotContain("policy-10/1", words, StringComparison.Ordinal);
    }

    [Fact]
    public void Words_ABlankPolicyName_IsShownInQuotes()
    {
        var report = EventLines.Report(Options, Line("2021-09-02T10:00:00Z", "\"  \""));

        Assert.Equal("\"  \" (1 event, recorded); project-texas/1 evaluated none", ReportFigures.DecidedBy(report));
    }

    [Fact]
    public void Words_AReportMadeWithoutSaying_ShowItsPolicyAsBefore()
    {
        var made = EventLines.Report(Options, Lines);
        var report = new AccessReport(made.Policy, made.Period, made.Totals, made.Findings, made.RegionPairs, made.Categories, made.Requesters, made.Residency, made.Daily, made.Integrity, made.InputProblems, made.InputProblemCount);

        Assert.Null(ReportFigures.DecidedBy(report));
        Assert.Contains("- **Policy:** `project-texas/1`", Markdown(report), StringComparison.Ordinal);
        Assert.Contains("Policy: <code>project-texas/1</code>", Html(report), StringComparison.Ordinal);
        Assert.DoesNotContain("decidedBy", AccessReportJsonWriter.Format(report), StringComparison.Ordinal);
    }

    // An allowed access whose decision names the given policy (a JSON string or null), or names none (null).
    private static string Line(string time, string? policy) =>
        EventLines.Line(time, decision: policy is null ? "{\"outcome\":\"allowed\"}" : $"{{\"outcome\":\"allowed\",\"crossBorder\":false,\"policy\":{policy}}}");

    private static string Markdown(AccessReport report)
    {
        using var writer = new StringWriter();
        AccessReportMarkdownWriter.Write(writer, report);
        return writer.ToString();
    }

    private static string Html(AccessReport report)
    {
        using var writer = new StringWriter();
        AccessReportHtmlWriter.Write(writer, report);
        return writer.ToString();
    }
}
