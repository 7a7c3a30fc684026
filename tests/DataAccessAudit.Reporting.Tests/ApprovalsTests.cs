using System.Globalization;
using DataAccessAudit.Interchange;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using static DataAccessAudit.Reporting.Tests.EventLines;

namespace DataAccessAudit.Reporting.Tests;

public sealed class ApprovalsTests : IDisposable
{
    private const string Approved = "{\"outcome\":\"approved\",\"crossBorder\":true,\"findings\":[]}";
    private const string Crossing = "{\"outcome\":\"flagged\",\"crossBorder\":true,\"findings\":[\"cross-border-protected-access\"]}";

    private readonly string _directory = Directory.CreateTempSubdirectory("approvals-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // A hand-made log: two approvers, three requesters, and approvals used before and after their window.
    private static string[] Log() =>
    [
        Line("2021-09-02T10:00:00Z", requester: "cn-1", requesterRegion: "CN", decision: Approved, approval: Approval("ap-1", "security", until: "2021-09-30T00:00:00Z")),
        Line("2021-09-03T10:00:00Z", requester: "cn-1", requesterRegion: "CN", decision: Approved, approval: Approval("ap-1", "security", until: "2021-09-30T00:00:00Z")),
        Line("2021-09-04T10:00:00Z", requester: "cn-2", requesterRegion: "CN", decision: Approved, approval: Approval("ap-2", "security")),
        Line("2021-09-05T10:00:00Z", requester: "ie-1", requesterRegion: "IE", decision: Approved, approval: Approval("ap-3", "privacy")),
        Line("2021-09-06T10:00:00Z", requester: "ie-1", requesterRegion: "IE", decision: Approved, approval: Approval("ap-4", null)),

        // Expired on 2021-09-30: used on 2021-10-02, flagged. Not yet valid until 2021-09-10: used on 2021-09-01.
        Line("2021-10-02T10:00:00Z", requester: "cn-1", requesterRegion: "CN", decision: Crossing, approval: Approval("ap-1", "security", until: "2021-09-30T00:00:00Z")),
        Line("2021-09-01T10:00:00Z", requester: "cn-2", requesterRegion: "CN", decision: Crossing, approval: Approval("ap-5", "security", from: "2021-09-10T00:00:00Z")),
        Line("2021-10-03T10:00:00Z", requester: "cn-3", requesterRegion: "CN", decision: Crossing, approval: Approval("ap-6", "security", until: "2021-10-01T00:00:00Z")),
    ];

    [Fact]
    public void Build_CountsApprovalsUsed_ByApproverAndRequester()
    {
        var approvals = Report(Log()).Approvals;

        Assert.Equal([new ApprovalUsage("security", 2, 3), new ApprovalUsage(string.Empty, 1, 1), new ApprovalUsage("privacy", 1, 1)], approvals.ByApprover);
        Assert.Equal([new ApprovalUsage("cn-1", 1, 2), new ApprovalUsage("ie-1", 2, 2), new ApprovalUsage("cn-2", 1, 1)], approvals.ByRequester);
    }

    [Fact]
    public void Build_CountsAndListsApprovalsOutsideTheirWindow_NewestFirst()
    {
        var approvals = Report(Log()).Approvals;

        Assert.Equal(2, approvals.Expired);
        Assert.Equal(1, approvals.NotYetValid);
        Assert.Equal(["cn-3", "cn-1", "cn-2"], approvals.OutsideWindow.Select(r => r.Event.Requester.Id));
    }

    [Fact]
    public void Build_ListsOnlyTheNewestRows()
    {
        var approvals = Report(new AccessReportOptions { NeedingActionRows = 1 }, Log()).Approvals;

        Assert.Equal(3, approvals.Expired + approvals.NotYetValid);
        Assert.Equal(["cn-3"], approvals.OutsideWindow.Select(r => r.Event.Requester.Id));
    }

    [Fact]
    public void FastScanner_OnSeveralWorkers_GivesTheSameSectionAsTheFullParser()
    {
        // The bound in the same 100 ns tick as the event: only the full parser can tell (by nanoseconds) that it expired.
        var lines = Log().Append(Line("2021-09-07T10:00:00.00000005Z", requester: "edge", decision: Crossing, approval: Approval("ap-7", "security", until: "2021-09-07T10:00:00.00000001Z"))).ToArray();
        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllLines(path, lines);
        var fast = new AccessReportBuilder(new AccessReportOptions());
        JsonLinesReportReader.Read([path], fast, maxDegreeOfParallelism: 3, cancellationToken: TestContext.Current.CancellationToken);

        var expected = Report(lines);
        var actual = fast.Build(ReportIntegrity.Unverified);

        Assert.Equal(3, expected.Approvals.Expired);
        Assert.Equal(expected.Approvals.ByApprover, actual.Approvals.ByApprover);
        Assert.Equal(expected.Approvals.ByRequester, actual.Approvals.ByRequester);
        Assert.Equal(expected.Approvals.Expired, actual.Approvals.Expired);
        Assert.Equal(expected.Approvals.NotYetValid, actual.Approvals.NotYetValid);
        Assert.Equal(expected.Approvals.OutsideWindow.Select(AccessEventJson.Format), actual.Approvals.OutsideWindow.Select(AccessEventJson.Format));
    }

    [Fact]
    public void Writers_ShowTheSection()
    {
        var report = Report(Log());

        var html = Write(w => AccessReportHtmlWriter.Write(w, report));
        var markdown = Write(w => AccessReportMarkdownWriter.Write(w, report));
        var csv = Write(w => AccessReportCsvWriter.Write(w, report, ReportTable.Approvals));
        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(report));

        Assert.Contains("<section id=\"approvals\">", html, StringComparison.Ordinal);
        Assert.Contains("3 accesses carried an approval outside its window: 2 expired, 1 not yet valid.", html, StringComparison.Ordinal);
        Assert.Contains("ap-5 by security, not valid before 2021-09-10T00:00:00Z", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"muted\">not recorded</span>", html, StringComparison.Ordinal);
        Assert.Contains("| security | 2 | 3 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| _not recorded_ | 1 | 1 |", markdown, StringComparison.Ordinal);
        Assert.Equal("by,name,approvals,accesses\r\napprover,security,2,3\r\napprover,,1,1\r\napprover,privacy,1,1\r\nrequester,cn-1,1,2\r\nrequester,ie-1,2,2\r\nrequester,cn-2,1,1\r\n", csv);
        var section = json.RootElement.GetProperty("approvals");
        Assert.Equal(2, section.GetProperty("expired").GetInt64());
        Assert.Equal(1, section.GetProperty("notYetValid").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, section.GetProperty("byApprover")[1].GetProperty("approvedBy").ValueKind);
        Assert.Equal("cn-1", section.GetProperty("byRequester")[0].GetProperty("requester").GetString());
    }

    [Fact]
    public void Writers_SayOneAccess_InTheSingular()
    {
        var report = Report(Log()[5]);

        Assert.Contains("1 access carried an approval outside its window: 1 expired, 0 not yet valid.", Write(w => AccessReportMarkdownWriter.Write(w, report)), StringComparison.Ordinal);
        Assert.Contains("No approval was used.", Write(w => AccessReportHtmlWriter.Write(w, report)), StringComparison.Ordinal);
    }

    private static string Approval(string id, string? by, string? from = null, string? until = null) =>
        "{\"id\":\"" + id + "\"" + (by is null ? string.Empty : ",\"approvedBy\":\"" + by + "\"")
        + (from is null ? string.Empty : ",\"validFrom\":\"" + from + "\"")
        + (until is null ? string.Empty : ",\"validUntil\":\"" + until + "\"") + "}";

    private static string Write(Action<StringWriter> write)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        write(writer);
        return writer.ToString();
    }
}
