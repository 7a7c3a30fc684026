using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using NodaTime;

namespace DataAccessAudit.Reporting.Tests.Sources;

// The fast scanner must never change a result: every line gives the same report (and the same problems) as the
// full parser, whether the scanner takes the line or hands it on.
public sealed class EventLineCounterTests
{
    private static readonly string Decision = J(@"'decision':{'outcome':'flagged','crossBorder':true,'findings':['cross-border-protected-access','country-of-concern-access'],'policy':'project-texas/1'}");
    private static readonly string Requester = J(@"'requester':{'id':'emp-1','region':'CN','organization':'ByteDance','roles':['engineer']}");
    private static readonly string Resource = J(@"'resource':{'id':'user/1/dm','type':'direct-message','category':'protected','region':'US','storedIn':'SG'}");

    public static TheoryData<string> Lines() =>
    [
        Event(),
        Event(time: "2021-09-14T07:31:02.1234567Z"),
        Event(time: "2021-09-14T07:31:02.123456789Z"),
        Event(time: "2021-09-14T07:31:02.5Z"),
        Event(time: "2021-09-14T07:31:02,5Z"),
        Event(time: "2021-09-14T07:31:02.Z"),
        Event(time: "2021-02-29T07:31:02Z"),
        Event(time: "2021-09-14T24:00:00Z"),
        Event(time: "2021-09-14 07:31:02Z"),
        Event(time: "2021-09-14T07:31:02+00:00"),
        Event(time: "2021-09-14T07:31:02.1234567890Z"),
        Event(extra: ",\"subjects\":12"),
        Event(extra: ",\"subjects\":0"),
        Event(extra: ",\"subjects\":1.5"),
        Event(extra: ",\"subjects\":\"3\""),
        Event(extra: ",\"subjects\":null"),
        Event(extra: ",\"unknown\":{\"deep\":[1,2,{\"x\":null}]},\"purpose\":null,\"traceId\":\"abc\""),
        Event(extra: ",\"purpose\":5"),
        Event(extra: ",\"approval\":{\"id\":\"a-1\",\"approvedBy\":\"US Data Security\",\"validFrom\":\"2021-09-01T00:00:00Z\",\"validUntil\":null}"),
        Event(extra: ",\"approval\":{\"id\":\"\"}"),
        Event(extra: ",\"approval\":{\"id\":\"a\",\"validUntil\":\"soon\"}"),
        Event(requester: J(@"'requester':{'id':'emp-\u0031','region':'cn'}")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':null}")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':'UK'}")),
        Event(requester: J(@"'requester':{'id':'','region':'US'}")),
        Event(requester: J(@"'requester':{'region':'US'}")),
        Event(requester: J(@"'requester':null")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':'US','roles':[1]}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'protected','region':'US'}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':' ','region':'US'}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'secret-sauce','region':'US'}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'protected','region':'XX'}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'protected','region':'US','storedIn':'ZZ'}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'protected'}")),
        Event(resource: J(@"'resource':{'id':'ü/ß','type':null,'category':'public','region':'US','storedIn':null}")),
        Event(decision: J(@"'decision':{'outcome':'allowed'}")),
        Event(decision: J(@"'decision':{'outcome':'denied','crossBorder':null,'findings':null}")),
        Event(decision: J(@"'decision':{'outcome':'maybe'}")),
        Event(decision: J(@"'decision':{'outcome':'flagged','findings':['custom-finding']}")),
        Event(decision: J(@"'decision':{'outcome':'flagged','findings':['']}")),
        Event(decision: J(@"'decision':{'crossBorder':true}")),
        Event(decision: J(@"'decision':null")),
        Event(decision: J(@"'decision':{'outcome':'approved','crossBorder':'yes'}")),
        Event(time: "0000-01-01T00:00:00Z"),
        Event(time: "0001-01-01T00:00:00Z"),
        Event(time: "9999-12-31T23:59:59.999999999Z"),
        Event(time: "2021-09-14T23:59:60Z"),
        Event(time: "-2021-09-14T07:31:02Z"),
        Event(time: "2021-09-14T07:31:02z"),
        Event(time: "2020-02-29T07:31:02Z"),
        Event(extra: ",\"subjects\":9007199254740991"),
        Event(extra: ",\"subjects\":9007199254740992"),
        Event(extra: ",\"subjects\":-1"),
        Event(extra: ",\"subjects\":2147483648"),
        Event(extra: ",\"subjects\":1e3"),
        Event(extra: ",\"subjectKeys\":[\"k1\",\"k2\",\"k3\"]"),
        Event(extra: ",\"subjectKeys\":[\"k1\",\"k2\",\"k3\"],\"subjects\":2"),
        Event(extra: ",\"subjects\":40,\"subjectKeys\":[\"k1\"]"),
        Event(extra: ",\"subjectKeys\":[]"),
        Event(extra: ",\"subjectKeys\":null"),
        Event(extra: ",\"subjectKeys\":[\"k1\",\"\"]"),
        Event(extra: ",\"subjectKeys\":[\"k1\",null]"),
        Event(extra: ",\"subjectKeys\":[\"k1\",7]"),
        Event(extra: ",\"subjectKeys\":\"k1\""),
        Event(extra: ",\"subjectKeys\":[\"k\\u0031\"]"),
        Event(extra: ",\"unknown\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}"),
        Event(extra: ",\"unknown\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
        Event(extra: ",\"requester2\":{\"region\":5}"),
        Event(extra: ",\"action\":true"),
        Event(extra: ",\"traceId\":[]"),
        Event(extra: ",\"approval\":\"a-1\""),
        Event(extra: ",\"approval\":{\"id\":\"a\",\"validFrom\":20210901}"),
        Event(extra: ",\"approval\":{\"id\":\"a\",\"validFrom\":\"2021-09-01T00:00:00,5Z\"}"),
        Event(requester: J(@"'requester':{'id':'emp-1'}")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':5}")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':'ZZ'}")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':'zz'}")),
        Event(requester: J(@"'requester':{'id':5,'region':'US'}")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':'US','roles':'admin'}")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':'US','roles':[null]}")),
        Event(requester: J(@"'requester':{'id':'emp-1','region':'US','extra':{'region':null}}")),
        Event(requester: J(@"'requester':['emp-1']")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'protected','region':'ZZ'}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'protected','region':'zz'}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'protected','region':null}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':'protected','region':'US','storedIn':5}")),
        Event(resource: J(@"'resource':{'id':'user/1/dm','category':7,'region':'US'}")),
        Event(decision: J(@"'decision':{'outcome':'allowed','policy':5}")),
        Event(decision: J(@"'decision':{'outcome':'allowed','policy':{'name':'p'}}")),
        Event(decision: J(@"'decision':{'outcome':'allowed','findings':'x'}")),
        Event(decision: J(@"'decision':{'outcome':1}")),
        Event(decision: J(@"'decision':{'outcome':'approved','crossBorder':true,'findings':[]}")),
        Event(schema: "access-event/2"),
        Event() + " trailing",
        Event() + "\r",
        "\uFEFF" + Event(),
        Event()[..^1] + ",}",
        Event()[..^1] + "/* c */}",
        "[" + Event() + "]",
        "null",
        "   ",
        string.Empty,
        """{"schema":"access-event/1"}""",
    ];

    [Theory]
    [MemberData(nameof(Lines))]
    public void Read_Line_GivesSameReportAsFullParser(string line)
    {
        // Three copies, so that a line with a BOM is on line 1 once and later twice.
        var text = line + "\n" + line + "\n" + line + "\n";
        Assert.Equal(Sequential(text, reevaluate: false), Parallel(text, reevaluate: false));
        Assert.Equal(Sequential(text, reevaluate: true), Parallel(text, reevaluate: true));
    }

    private const string Window = "'validFrom':'2021-09-01T00:00:00Z','validUntil':'2021-10-01T00:00:00Z'";

    // Lines without a recorded decision, as importers write them, and whether the fast path takes them (an approval
    // whose window cannot be told at the scanner's precision goes to the full parser; one that has expired or is not
    // yet valid is decided without it, and listed among the approvals outside their window).
    public static TheoryData<string, bool> PlainLines() => new()
    {
        { Plain(), true },
        { Plain(requester: J(@"'requester':{'id':'emp-1','region':'US'}")), true },
        { Plain(requester: J(@"'requester':{'id':'emp-1','region':null}")), true },
        { Plain(requester: J(@"'requester':{'id':'emp-1','region':'DE','organization':'Example'}")), true },
        { Plain(resource: J(@"'resource':{'id':'user/1/dm','category':'public','region':'US'}")), true },
        { Plain(resource: J(@"'resource':{'id':'user/1/dm','category':'interoperability','region':'US','storedIn':'SG'}")), true },
        { Plain(resource: J(@"'resource':{'id':'user/1/dm','category':'secret-sauce','region':'US'}")), true },
        { Plain(resource: J(@"'resource':{'id':'user/1/dm','category':'protected','region':'SG','storedIn':'US'}")), true },
        { Plain(extra: J($@",'approval':{{'id':'a-1','approvedBy':'US Data Security',{Window}}}")), true },
        { Plain(requester: J(@"'requester':{'id':'emp-1','region':'DE'}"), extra: J(@",'approval':{'id':'a-1'}")), true },
        { Plain(requester: J(@"'requester':{'id':'emp-1','region':'US'}"), extra: J($@",'approval':{{'id':'a-1',{Window}}}")), true },
        { Plain(resource: J(@"'resource':{'id':'user/1/dm','category':'public','region':'US'}"), extra: J($@",'approval':{{'id':'a-1',{Window}}}")), true },
        { Plain(extra: J(@",'approval':{'id':'a-1','validUntil':'2021-09-01T00:00:00Z'}")), true },
        { Plain(extra: J(@",'approval':{'id':'a-1','validFrom':'2021-10-01T00:00:00Z'}")), true },
        { Plain(extra: J(@",'approval':{'id':'a-1','validUntil':'2021-09-14T07:31:02Z'}")), false },
        { Plain(extra: J(@",'approval':{'id':'a-1','validFrom':'2021-09-14T07:31:02.000000001Z'}")), false },
        { Plain(extra: J(@",'decision':null")), true },
        { Plain(extra: J(@",'subjects':12,'subjectKeys':['k1','k2']")), true },
        { Plain(time: "2021-09-13T07:31:02Z"), true },
    };

    [Theory]
    [MemberData(nameof(PlainLines))]
    public void Read_LineWithoutDecision_GivesTheFullParsersReportAndList_TakingTheFastPathWhereItCan(string line, bool fast)
    {
        var text = Encoding.UTF8.GetBytes(line + "\n" + line + "\n");
        foreach (var policy in new[] { AccessPolicy.ProjectTexas, AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce) })
        {
            foreach (var reevaluate in new[] { false, true })
            {
                var options = Options(reevaluate, policy);
                Assert.Equal(Sequential(text, options), Parallel(text, options));
                Assert.Equal(fast, new EventLineCounter(new AccessReportBuilder(options)).TryCount(Encoding.UTF8.GetBytes(line)));
            }
        }
    }

    [Fact]
    public void Read_ApprovalsOutsideTheirWindow_ListsTheNewestByExactTime_AsTheFullParserDoes()
    {
        // Times within two ticks (100 ns each): after the newest, only the nanoseconds tell e-10 and e-20 from the
        // rest of their tick (e-1 would come first by id). Lines with and without a recorded decision, expired and
        // not yet valid, on several workers, and a list of three.
        var lines = Enumerable.Range(0, 40).Select(i => Plain(
            time: "2021-09-14T07:31:02." + (i == 5 ? "0000002Z" : i is 10 or 20 ? "00000019Z" : i % 2 == 0 ? "0000001Z" : "00000015Z"),
            extra: J((i % 3 == 0 ? ",'approval':{'id':'a-1','validFrom':'2021-10-01T00:00:00Z'}" : ",'approval':{'id':'a-1','validUntil':'2021-09-01T00:00:00Z'}")
                + (i % 2 == 0 ? ",'decision':{'outcome':'flagged','crossBorder':true,'findings':['cross-border-protected-access']}" : string.Empty)))
            .Replace("\"id\":\"e-1\"", $"\"id\":\"e-{i}\"", StringComparison.Ordinal)).ToList();
        var options = new AccessReportOptions { Period = Options(reevaluate: false).Period, NeedingActionRows = 3 };
        var full = new AccessReportBuilder(options);
        full.AddRange(lines.Select(AccessEventJson.Parse));
        var path = Path.Combine(Path.GetTempPath(), $"approvals-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllLines(path, lines);
            var fast = new AccessReportBuilder(options);
            JsonLinesReportReader.Read([path], fast, maxDegreeOfParallelism: 3, cancellationToken: TestContext.Current.CancellationToken);

            var expected = full.Build(ReportIntegrity.Unverified).Approvals;
            var actual = fast.Build(ReportIntegrity.Unverified).Approvals;
            Assert.Equal(["e-5", "e-10", "e-20"], expected.OutsideWindow.Select(r => r.Event.Id));
            Assert.Equal(expected.OutsideWindow.Select(AccessEventJson.Format), actual.OutsideWindow.Select(AccessEventJson.Format));
            Assert.Equal((26, 14), (expected.Expired, expected.NotYetValid));
            Assert.Equal((expected.Expired, expected.NotYetValid), (actual.Expired, actual.NotYetValid));
            Assert.True(new EventLineCounter(new AccessReportBuilder(options)).TryCount(Encoding.UTF8.GetBytes(lines[0])));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryCount_LineWithADecision_WhenReevaluating_TakesTheFastPath_ListingThePolicysDecision()
    {
        // The recorded decision says allowed; the policy flags the access. Re-evaluating lists it with the policy's.
        var line = Event(decision: J(@"'decision':{'outcome':'allowed','crossBorder':true,'findings':[]}"));
        var options = Options(reevaluate: true);
        var builder = new AccessReportBuilder(options);

        Assert.True(new EventLineCounter(builder).TryCount(Encoding.UTF8.GetBytes(line)));
        var listed = Assert.Single(builder.Build(ReportIntegrity.Unverified).NeedingAction.First);
        Assert.Equal(AccessPolicy.ProjectTexas.Evaluate(AccessEventJson.Parse(line).Event), listed.Decision);
    }

    public static TheoryData<string> InvalidUtf8Fields() => ["id", "unknown", "purpose"];

    // A line that is not valid UTF-8 is an input problem for both readers, even where the bad byte sits in a field
    // that a reader would otherwise skip.
    [Theory]
    [MemberData(nameof(InvalidUtf8Fields))]
    public void Read_LineWithInvalidUtf8_IsTheSameInputProblemForBothReaders(string field)
    {
        var line = Encoding.UTF8.GetBytes(Event(extra: $",\"{field}\":\"x\u00FFx\""));
        var bad = Array.IndexOf(line, (byte)0xC3);
        line[bad] = 0xFF;
        var text = line.Concat("\n"u8.ToArray()).ToArray();

        var sequential = Sequential(text, reevaluate: false);

        Assert.Equal(sequential, Parallel(text, reevaluate: false));
        Assert.Contains("not valid UTF-8", sequential, StringComparison.Ordinal);
        Assert.Contains("\"events\": 0", sequential, StringComparison.Ordinal);
    }

    private static string Event(
        string time = "2021-09-14T07:31:02Z",
        string? requester = null,
        string? resource = null,
        string? decision = null,
        string extra = "",
        string schema = "access-event/1") =>
        $$"""{"schema":"{{schema}}","id":"e-1","time":"{{time}}",{{requester ?? Requester}},{{resource ?? Resource}},"action":"read",{{decision ?? Decision}}{{extra}}}""";

    private static string Plain(
        string time = "2021-09-14T07:31:02Z",
        string? requester = null,
        string? resource = null,
        string extra = "") =>
        $$"""{"schema":"access-event/1","id":"e-1","time":"{{time}}",{{requester ?? Requester}},{{resource ?? Resource}},"action":"read"{{extra}}}""";

    private static string J(string singleQuoted) => singleQuoted.Replace('\'', '"');

    private static AccessReportOptions Options(bool reevaluate, AccessPolicy? policy = null) => new()
    {
        Period = ReportPeriod.Create(new LocalDate(2021, 9, 14), new LocalDate(2021, 9, 14), DateTimeZone.Utc),
        Reevaluate = reevaluate,
        Policy = policy ?? AccessPolicy.ProjectTexas,
    };

    private static string Sequential(string text, bool reevaluate) => Sequential(Encoding.UTF8.GetBytes(text), Options(reevaluate));

    private static string Parallel(string text, bool reevaluate) => Parallel(Encoding.UTF8.GetBytes(text), Options(reevaluate));

    private static string Sequential(byte[] text, bool reevaluate) => Sequential(text, Options(reevaluate));

    private static string Parallel(byte[] text, bool reevaluate) => Parallel(text, Options(reevaluate));

    // The report as JSON, then every access needing action as the list gives it (the first rows, then all).
    private static string Written(AccessReport report) =>
        string.Join('\n', [AccessReportJsonWriter.Format(report), .. report.NeedingAction.First.Select(AccessEventJson.Format), .. report.NeedingAction.ReadAll().Select(AccessEventJson.Format)]);

    private static string Sequential(byte[] text, AccessReportOptions options)
    {
        var builder = new AccessReportBuilder(options);
        using var stream = new MemoryStream(text);
        builder.AddRange(AccessEventReader.Read(stream, "events.jsonl", builder.AddProblem));
        return Written(builder.Build(ReportIntegrity.Unverified));
    }

    private static string Parallel(byte[] text, AccessReportOptions options)
    {
        var path = Path.Combine(Path.GetTempPath(), $"scanner-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllBytes(path, text);
            var builder = new AccessReportBuilder(options);
            JsonLinesReportReader.Read([path], builder, cancellationToken: TestContext.Current.CancellationToken);
            return Written(builder.Build(ReportIntegrity.Unverified)).Replace(path, "events.jsonl", StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
