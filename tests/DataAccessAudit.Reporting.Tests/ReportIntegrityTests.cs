using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Reporting.Tests;

public sealed class ReportIntegrityTests
{
    private static readonly InputProblem Gap = new("segment-0000000001.jsonl", 7, "gap: the recorder dropped 3 accesses");

    [Fact]
    public void WithProblems_Verified_KeepsTheStatusAndAddsTheProblems()
    {
        var integrity = ReportIntegrity.Verified.WithProblems([Gap]);

        Assert.Equal(IntegrityStatus.Verified, integrity.Status);
        Assert.Equal([Gap], integrity.Problems);
        Assert.Equal("verified (1 problem)", integrity.ToString());
        Assert.Empty(ReportIntegrity.Verified.Problems);
    }

    [Fact]
    public void WithProblems_Broken_AppendsAfterThePresentProblems()
    {
        var brk = new InputProblem("segment-0000000001.jsonl", 3, "log integrity broken (modified) at sequence 2");

        var integrity = ReportIntegrity.Broken([brk]).WithProblems([Gap]);

        Assert.Equal(IntegrityStatus.Broken, integrity.Status);
        Assert.Equal([brk, Gap], integrity.Problems);
    }

    [Fact]
    public void WithProblems_None_ReturnsTheSameInstance()
    {
        Assert.Same(ReportIntegrity.Unverified, ReportIntegrity.Unverified.WithProblems([]));
    }

    [Fact]
    public void VerifiedUnkeyed_EveryFormatShowsThatTheChainDetectsAccidentsNotAnEditor()
    {
        var report = new AccessReportBuilder(new AccessReportOptions()).Build(ReportIntegrity.VerifiedUnkeyed);
        const string Caveat = "Chain intact, but unkeyed: it detects accidents, not an editor.";

        var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        var markdown = new StringWriter();
        AccessReportMarkdownWriter.Write(markdown, report);
        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(report));

        Assert.Equal("verified-unkeyed", report.Integrity.StatusName);
        Assert.Contains("<span class=\"badge warn\">verified-unkeyed</span> " + Caveat, html.ToString(), StringComparison.Ordinal);
        Assert.Contains("- **Integrity:** verified-unkeyed: " + Caveat, markdown.ToString(), StringComparison.Ordinal);
        Assert.Equal("verified-unkeyed", json.RootElement.GetProperty("integrity").GetProperty("status").GetString());
        Assert.StartsWith(Caveat, json.RootElement.GetProperty("integrity").GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verified_EveryFormatSaysThatEventsCutOffTheEndShowOnlyAgainstACheckpoint(bool withLoss)
    {
        var integrity = withLoss ? ReportIntegrity.Verified.WithProblems([Gap]) : ReportIntegrity.Verified;
        var report = new AccessReportBuilder(new AccessReportOptions()).Build(integrity);
        const string CutEnd = "Events cut off the end are detected only against a state kept earlier: a signed checkpoint of a file log (access-report verify --public-key), or the heads of a PostgreSQL store saved by access-report verify --postgres --save-heads (then --since).";

        var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        var markdown = new StringWriter();
        AccessReportMarkdownWriter.Write(markdown, report);
        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(report));

        Assert.Contains(CutEnd, html.ToString(), StringComparison.Ordinal);
        Assert.Contains(CutEnd, Unescaped(markdown.ToString()), StringComparison.Ordinal);
        Assert.Contains(CutEnd, json.RootElement.GetProperty("integrity").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("no event is missing", integrity.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void HasProblems_IntactLogThatRecordedALoss_IsTrue()
    {
        var clean = new AccessReportBuilder(new AccessReportOptions()).Build(ReportIntegrity.Verified);
        var lossy = new AccessReportBuilder(new AccessReportOptions()).Build(ReportIntegrity.Verified.WithProblems([Gap]));

        Assert.False(clean.HasProblems);
        Assert.True(lossy.HasProblems);
    }

    // Markdown escapes the text's parentheses.
    private static string Unescaped(string markdown) => markdown.Replace("\\", string.Empty, StringComparison.Ordinal);
}
