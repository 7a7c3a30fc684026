using AngleSharp.Html.Parser;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class FindingExplanationTests
{
    public static TheoryData<string> BuiltInFindings() =>
    [
        Finding.CrossBorderProtectedAccess.Name,
        Finding.UnknownRequesterRegion.Name,
        Finding.CountryOfConcernAccess.Name,
        Finding.StoredOutsideHomeJurisdiction.Name,
        Finding.UnknownDataCategory.Name,
    ];

    [Theory]
    [MemberData(nameof(BuiltInFindings))]
    public void TryGet_EveryBuiltInFinding_IsExplainedInFullSentences(string finding)
    {
        Assert.True(FindingExplanation.TryGet(finding, out var explanation));
        foreach (var text in new[] { explanation.Meaning, explanation.WhyItMatters, explanation.WhatToCheck })
        {
            Assert.True(text.Length > 20, text);
            Assert.EndsWith(".", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryGet_APolicysOwnFinding_HasNone() => Assert.False(FindingExplanation.TryGet("late-night-access", out _));

    [Fact]
    public void HtmlWriter_ExplainsEachListedFindingInItsSection_AndNoOther()
    {
        var report = SampleReports.Hostile();
        using var writer = new StringWriter();
        AccessReportHtmlWriter.Write(writer, report);

        var section = new HtmlParser().ParseDocument(writer.ToString()).GetElementById("findings")!;
        var explained = section.QuerySelectorAll(".explain dt").Select(dt => dt.TextContent).ToList();

        Assert.Equal(report.Findings.Select(f => f.Finding), explained);
        Assert.Contains(Finding.CountryOfConcernAccess.Name, explained);
        FindingExplanation.TryGet(Finding.CountryOfConcernAccess.Name, out var concern);
        Assert.Contains(concern!.WhatToCheck, section.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(Finding.UnknownDataCategory.Name, section.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlWriter_FindingsOfAnAccessNeedingAction_LinkToTheirExplanation()
    {
        var report = SampleReports.Hostile();
        using var writer = new StringWriter();
        AccessReportHtmlWriter.Write(writer, report);
        var page = new HtmlParser().ParseDocument(writer.ToString());

        var links = page.QuerySelectorAll("#needing-action-table td a").ToList();
        Assert.NotEmpty(links);
        Assert.Contains(links, a => a.TextContent == Finding.CountryOfConcernAccess.Name);
        foreach (var link in links)
        {
            FindingExplanation.TryGet(link.TextContent, out var explanation);
            Assert.Equal(explanation!.Meaning, link.GetAttribute("title"));
            var target = page.GetElementById(link.GetAttribute("href")![1..]);
            Assert.NotNull(target);
            Assert.Equal("findings", target.Closest("section")!.Id);
            Assert.Equal(link.TextContent, target.TextContent);
        }
    }

    [Fact]
    public void MarkdownWriter_AccessesNeedingAction_PointToTheExplanations()
    {
        var report = SampleReports.Hostile();
        using var writer = new StringWriter();
        AccessReportMarkdownWriter.Write(writer, report);
        var text = writer.ToString();

        var section = text[text.IndexOf("## Accesses needing action", StringComparison.Ordinal)..text.IndexOf("## Findings", StringComparison.Ordinal)];
        Assert.Contains("What each finding means and what to check: [Findings](#findings).", section, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkdownWriter_ExplainsEachFindingInItsRow()
    {
        var report = SampleReports.Hostile();
        using var writer = new StringWriter();
        AccessReportMarkdownWriter.Write(writer, report);
        var text = writer.ToString();

        Assert.Contains("| finding | events | what it means | what to check |", text, StringComparison.Ordinal);
        foreach (var finding in report.Findings)
        {
            FindingExplanation.TryGet(finding.Finding, out var explanation);
            var row = text.Split('\n').Single(line => line.StartsWith($"| {finding.Finding} |", StringComparison.Ordinal));
            Assert.Contains(MarkdownText.Escape(explanation!.WhatToCheck), row, StringComparison.Ordinal);
        }
    }
}
