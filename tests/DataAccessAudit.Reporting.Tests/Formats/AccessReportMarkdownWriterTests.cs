using DataAccessAudit.Classification;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class AccessReportMarkdownWriterTests
{
    [Fact]
    public void Write_HostileIds_AreEscapedInsideTableCells()
    {
        using var writer = new StringWriter();

        AccessReportMarkdownWriter.Write(writer, SampleReports.Hostile());
        var text = writer.ToString();

        Assert.Contains(@"| \<script\>alert\(1\)\</script\> | CN |", text, StringComparison.Ordinal);
        Assert.Contains(@"| +cmd\|' /C calc'\!A0 | SG |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PolicyNameWithBackticks_IsACodeSpanHoldingThemAsTheyAre()
    {
        var policy = new AccessPolicy("texas`strict``", "1", Taxonomy.ProjectTexas, [Jurisdiction.UnitedStates], null);
        using var writer = new StringWriter();

        AccessReportMarkdownWriter.Write(writer, EventLines.Report(new AccessReportOptions { Policy = policy }, EventLines.Line("2021-09-01T10:00:00Z")));
        var text = writer.ToString();

        Assert.Contains("```texas`strict``/1```", text, StringComparison.Ordinal);
        Assert.DoesNotContain("texas'strict", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Report_HasTotalsAndProblemsSections()
    {
        using var writer = new StringWriter();

        AccessReportMarkdownWriter.Write(writer, SampleReports.Hostile());
        var text = writer.ToString();

        Assert.StartsWith("# Data access report", text, StringComparison.Ordinal);
        Assert.Contains("## Totals", text, StringComparison.Ordinal);
        Assert.Contains("| input | test.jsonl | 6 |", text, StringComparison.Ordinal);
        Assert.Contains("2021-09-01 to 2021-09-03 in UTC", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Subjects_AreLabelledSubjectRecordsWithTheirDefinition()
    {
        using var writer = new StringWriter();

        AccessReportMarkdownWriter.Write(writer, SampleReports.Hostile());
        var text = writer.ToString();

        Assert.Contains("| events | cross-border | flagged | denied | approved | subject records |", text, StringComparison.Ordinal);
        Assert.Contains("| resource types | subject records | broad access |", text, StringComparison.Ordinal);
        Assert.Contains("*Subject records: the sum of each event's subjects (1 when absent), the person-records touched. It is an upper bound of the distinct people", text, StringComparison.Ordinal);
        Assert.DoesNotContain("| subjects |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("people |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ControlAndBidiCharactersInIds_AreShownAsVisibleEscapes()
    {
        var report = EventLines.Report(
            new AccessReportOptions(),
            EventLines.Line("2021-09-01T10:00:00Z", requester: "evil\u202Etxt.exe\u001B[2J\r\nx", requesterRegion: "CN"));
        using var writer = new StringWriter();

        AccessReportMarkdownWriter.Write(writer, report);
        var text = writer.ToString();

        Assert.Contains(@"| evil\\u202Etxt.exe\\u001B\[2J\\u000D\\u000Ax | CN |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001B", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_OneIntegrityProblem_SaysOneProblem()
    {
        var gap = new DataAccessAudit.Interchange.InputProblem("log/segment-0000000001.jsonl", 7, "gap: the recorder dropped 12 accesses (its queue was full), noted at 2021-09-01T10:00:00Z");
        var report = new AccessReportBuilder(new AccessReportOptions()).Build(ReportIntegrity.Verified.WithProblems([gap]));
        using var writer = new StringWriter();

        AccessReportMarkdownWriter.Write(writer, report);

        Assert.Contains("- **Integrity:** verified (1 problem):", writer.ToString(), StringComparison.Ordinal);
    }
}
