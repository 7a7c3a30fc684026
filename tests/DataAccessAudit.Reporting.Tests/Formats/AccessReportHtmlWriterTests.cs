using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class AccessReportHtmlWriterTests
{
    private static (string Html, IDocument Document) Render(AccessReport report)
    {
        using var writer = new StringWriter();
        AccessReportHtmlWriter.Write(writer, report);
        var html = writer.ToString();
        return (html, new HtmlParser().ParseDocument(html));
    }

    [Fact]
    public void Write_VerifiedLogThatRecordsAGap_DoesNotClaimNothingIsMissing()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions());
        var gap = new DataAccessAudit.Interchange.InputProblem("log/segment-0000000001.jsonl", 7, "gap: the recorder dropped 12 accesses (its queue was full), noted at 2021-09-01T10:00:00Z");

        var (_, withGap) = Render(builder.Build(ReportIntegrity.Verified.WithProblems([gap])));
        var (_, intact) = Render(new AccessReportBuilder(new AccessReportOptions()).Build(ReportIntegrity.Verified));

        var text = withGap.GetElementById("integrity")!.TextContent;
        Assert.DoesNotContain("is missing", text, StringComparison.Ordinal);
        Assert.Contains("records the losses", text, StringComparison.Ordinal);
        Assert.Contains("dropped 12 accesses", text, StringComparison.Ordinal);
        Assert.Contains("no event up to the last one read is missing", intact.GetElementById("integrity")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Report_HasEverySection()
    {
        var (_, document) = Render(SampleReports.Hostile());

        foreach (var id in new[] { "matrix", "timeline", "findings", "categories", "requesters", "residency", "integrity", "input-problems" })
        {
            var section = document.GetElementById(id);
            Assert.NotNull(section);
            Assert.Equal("SECTION", section.TagName);
        }

        Assert.Equal("Data access report", document.QuerySelector("h1")!.TextContent);
        Assert.Equal("utf-8", document.CharacterSet, ignoreCase: true);
    }

    [Fact]
    public void Write_Report_DrawsChartsAsInlineSvg()
    {
        var (_, document) = Render(SampleReports.Hostile());

        Assert.NotNull(document.QuerySelector("#matrix svg rect"));
        Assert.Equal(2, document.QuerySelectorAll("#timeline svg polyline").Length);
        Assert.NotNull(document.QuerySelector("#findings svg rect.bar"));
        Assert.NotNull(document.QuerySelector("#categories svg rect.bar"));
        Assert.NotNull(document.QuerySelector("#residency svg rect.bar"));
    }

    [Fact]
    public void Write_ScriptRequesterId_IsTextNotMarkup()
    {
        var (html, document) = Render(SampleReports.Hostile());

        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.Empty(document.QuerySelectorAll("img"));
        var ids = document.QuerySelectorAll("#requesters-table td.id").Select(td => td.TextContent).ToList();
        Assert.Contains(SampleReports.ScriptId, ids);
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        var problem = document.QuerySelector("#input-problems-table tbody tr td:last-child")!.TextContent;
        Assert.Contains("not valid JSON", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Report_HasNoExternalReferences()
    {
        var (html, document) = Render(SampleReports.Hostile());

        Assert.Empty(document.QuerySelectorAll("script, link, iframe, object, embed, img, video, audio, source"));
        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.NotEqual("src", attribute.LocalName);
                Assert.False(
                    attribute.LocalName is "href" or "xlink:href" && !attribute.Value.StartsWith('#'),
                    $"{element.TagName} has {attribute.Name}=\"{attribute.Value}\"");
                Assert.False(attribute.LocalName.StartsWith("on", StringComparison.Ordinal), $"{element.TagName} has the handler {attribute.Name}");
            }
        }

        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Write_Report_HasPrintStyles()
    {
        var (_, document) = Render(SampleReports.Hostile());

        Assert.Contains("@media print", document.QuerySelector("style")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Report_InlinesTheWholeStylesheet()
    {
        var (_, document) = Render(SampleReports.Hostile());
        var styles = document.QuerySelector("style")!.TextContent;

        // The first rule, the page's rules and those of its sections down to the last: the embedded stylesheet, whole.
        Assert.StartsWith(":root{", styles, StringComparison.Ordinal);
        Assert.Contains(".kpis{display:grid", styles, StringComparison.Ordinal);
        Assert.Contains("tr.total td{font-weight:600;background:#f6f8fa}", styles, StringComparison.Ordinal);
        Assert.Contains("td.when{white-space:nowrap;font-variant-numeric:tabular-nums}", styles, StringComparison.Ordinal);
        Assert.EndsWith("@media print{section{overflow:visible}.chart.wide,.chart.bars{min-width:0}}", styles, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", styles, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_BroadAccessRequester_IsMarked()
    {
        string[] types = ["a", "b", "c", "d"];
        var lines = types.Select((t, i) => EventLines.Line($"2021-09-01T00:00:0{i}Z", requester: "admin", resource: $"r{i}", type: t)).ToArray();

        var (_, document) = Render(EventLines.Report(lines));

        var row = document.QuerySelector("#requesters-table tr.broad")!;
        Assert.Equal("admin", row.QuerySelector("td.id")!.TextContent);
        Assert.Equal("broad access", row.QuerySelector(".badge")!.TextContent);
    }

    [Fact]
    public void Write_RequesterIds_MayBreakOnlyAfterTheirSeparators()
    {
        const string id = "svc-pipeline/worker.0042@corp";
        var (html, document) = Render(EventLines.Report(EventLines.Line("2021-09-01T00:00:00Z", requester: id)));

        Assert.Contains("<td class=\"id\">svc-<wbr>pipeline/<wbr>worker.<wbr>0042@<wbr>corp</td>", html, StringComparison.Ordinal);
        Assert.Equal(id, document.QuerySelector("#requesters-table td.id")!.TextContent);
        // The browser may not break an id anywhere else, even in a narrow column.
        Assert.DoesNotContain("break-all", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EmptyReport_StillRenders()
    {
        var (_, document) = Render(EventLines.Report());

        Assert.NotNull(document.GetElementById("matrix"));
        Assert.Contains("No events.", document.GetElementById("matrix")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Subjects_AreLabelledSubjectRecordsWithTheirDefinition()
    {
        var (html, document) = Render(SampleReports.Hostile());

        Assert.StartsWith("Subject records: the sum of each event's subjects (1 when absent)", document.GetElementById("subject-records")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("an upper bound of the distinct people", document.GetElementById("subject-records")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("subject records", document.GetElementById("requesters-table")!.QuerySelector("thead")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Subject records", document.QuerySelector("section.kpis")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(">subjects<", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Subjects<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ControlAndBidiCharactersInIds_AreShownAsVisibleEscapes()
    {
        var report = EventLines.Report(
            new AccessReportOptions(),
            EventLines.Line("2021-09-01T10:00:00Z", requester: "evil\u202Etxt.exe\u001B[2J\r\nx", requesterRegion: "CN"));

        var (html, document) = Render(report);

        Assert.Contains("<td class=\"id\">evil\\u202Etxt.<wbr>exe\\u001B[2J\\u000D\\u000Ax</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001B", html, StringComparison.Ordinal);
        Assert.NotNull(document.GetElementById("requesters-table"));
    }

    [Fact]
    public void Write_OneOfEach_SaysItInTheSingular()
    {
        var report = EventLines.Report(
            new AccessReportOptions(),
            EventLines.Line("2021-09-01T10:00:00Z", requester: "emp-1"),
            EventLines.Line("2021-09-01T11:00:00Z", requester: "emp-2", resource: "user/2/messages"),
            "not an event");
        using var writer = new StringWriter();

        AccessReportHtmlWriter.Write(writer, report, topRequesters: 1);
        var document = new HtmlParser().ParseDocument(writer.ToString());

        Assert.Contains("1 line was not an event and was not counted.", document.GetElementById("input-problems")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 more requester in requesters.csv.", document.GetElementById("requesters")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 day in UTC;", document.GetElementById("timeline")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Shares_FollowTheOneRule()
    {
        var lines = Enumerable.Range(0, 2000)
            .Select(i => EventLines.Line("2021-09-01T10:00:00Z", requester: $"emp-{i}", requesterRegion: i == 0 ? "CN" : "US"))
            .ToArray();

        var (_, document) = Render(EventLines.Report(new AccessReportOptions(), lines));

        var shares = document.QuerySelectorAll(".kpi .share").Select(e => e.TextContent).ToList();
        Assert.Equal("<0.1%", shares[0]); // cross-border: 1 of 2,000, the same rule as Markdown and the console
        Assert.Equal("<0.1%", shares[1]); // flagged: the same access
        Assert.Equal("0%", shares[2]); // denied: none
        Assert.Equal("2,000", document.QuerySelector(".kpi .value")!.TextContent);
    }

    [Fact]
    public void Write_HeatMap_ColoursEachCellByItsShareFlaggedOrDenied_AndStatesTheNumbers()
    {
        const string t = "2021-09-01T10:00:00Z";
        var report = EventLines.Report(
            new AccessReportOptions(),
            EventLines.Line(t, requesterRegion: "CN"),
            EventLines.Line(t, requesterRegion: "US"),
            EventLines.Line(t, requesterRegion: "US"),
            EventLines.Line(t, requesterRegion: "IE", category: "public", type: "public-profile"));

        var (_, document) = Render(report);
        var cells = document.QuerySelectorAll("#matrix svg rect[fill]")
            .Where(r => r.QuerySelector("title") is not null)
            .ToDictionary(r => r.QuerySelector("title")!.TextContent.Split(':')[0], r => r);

        var china = cells["CN → US"];
        Assert.Equal(SvgCharts.ShareColour(1), china.GetAttribute("fill"));
        Assert.Equal("CN → US: 1 event, 1 flagged or denied (100%), 1 crossed a border", china.QuerySelector("title")!.TextContent);
        var home = cells["US → US"];
        Assert.Equal(SvgCharts.ShareColour(0), home.GetAttribute("fill"));
        Assert.Equal("US → US: 2 events, 0 flagged or denied (0%)", home.QuerySelector("title")!.TextContent);

        // Public data read from abroad crossed a border and needs no action: outlined, not red.
        var ireland = cells["IE → US"];
        Assert.Equal(SvgCharts.ShareColour(0), ireland.GetAttribute("fill"));
        Assert.Equal("cross", ireland.GetAttribute("class"));

        // White figures on the red end of the scale, the page's ink on the pale end: readable either way.
        Assert.Contains("light", document.QuerySelectorAll("#matrix svg text.cell-share").Single(e => e.TextContent == "100%").ClassList);
        Assert.DoesNotContain("light", document.QuerySelectorAll("#matrix svg text.cell-share").First(e => e.TextContent == "0%").ClassList);

        var texts = document.QuerySelectorAll("#matrix svg text").Select(e => e.TextContent).ToList();
        Assert.Contains("100%", texts);
        Assert.Contains("0%", texts);
        Assert.Contains("25%", texts);
        Assert.Contains("50%+", texts);
        Assert.Contains("flagged or denied", document.QuerySelector("#matrix svg")!.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void HeatMapColours_RiseFromPaleToRed_AndStopAtHalf()
    {
        Assert.Equal(SvgCharts.ShareColour(0.5), SvgCharts.ShareColour(0.9));
        Assert.NotEqual(SvgCharts.ShareColour(0.25), SvgCharts.ShareColour(0));
        Assert.NotEqual(SvgCharts.ShareColour(0.25), SvgCharts.ShareColour(0.5));
        Assert.Equal(SvgCharts.ShareColour(0), SvgCharts.ShareColour(-0.1));
    }

    [Fact]
    public void Write_Timeline_CountAxisIsOnRoundTicksAboveTheBusiestDay()
    {
        var lines = Enumerable.Range(0, 7).Select(i => EventLines.Line("2021-09-01T10:00:00Z", requester: $"emp-{i}", requesterRegion: "CN")).ToArray();

        var (_, document) = Render(EventLines.Report(new AccessReportOptions(), lines));

        var labels = document.QuerySelectorAll("#timeline svg text[text-anchor=end]").Select(e => e.TextContent).ToList();
        Assert.Equal(["0", "2", "4", "6", "8"], labels);
    }

    [Fact]
    public void Write_Timeline_ALabelAtTheLastDay_StaysInsideTheChart()
    {
        var options = new AccessReportOptions { Period = ReportPeriod.Create(new NodaTime.LocalDate(2021, 9, 1), new NodaTime.LocalDate(2021, 12, 1), NodaTime.DateTimeZone.Utc) };

        var (_, document) = Render(EventLines.Report(options, EventLines.Line("2021-10-01T10:00:00Z")));

        var svg = document.QuerySelector("#timeline svg")!;
        var width = double.Parse(svg.GetAttribute("viewBox")!.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        var december = document.QuerySelectorAll("#timeline svg text").Single(e => e.TextContent == "Dec 2021");
        var x = double.Parse(december.GetAttribute("x")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(x + (december.TextContent.Length * 7.5 / 2) <= width, $"the last month's label at x={x} runs past the chart's width {width}");
    }

    [Fact]
    public void Write_Bars_ALongName_IsCutToItsRoom_AndWholeInItsTooltip()
    {
        var name = "regulated-health-and-biometric-data-of-minors-held-under-consent-decree";
        var (_, document) = Render(EventLines.Report(new AccessReportOptions(), EventLines.Line("2021-09-01T10:00:00Z", category: name)));

        var label = document.QuerySelectorAll("#categories svg text[text-anchor=end]").Single();
        var shown = string.Concat(label.ChildNodes.Where(n => n.NodeType == NodeType.Text).Select(n => n.TextContent));
        Assert.EndsWith("…", shown, StringComparison.Ordinal);
        Assert.StartsWith(shown[..^1], name, StringComparison.Ordinal);
        Assert.Equal(name, label.QuerySelector("title")!.TextContent);
        var x = double.Parse(label.GetAttribute("x")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(x - (shown.Length * 7.5) >= 0, $"'{shown}' ending at x={x} starts left of the chart");
    }
}
