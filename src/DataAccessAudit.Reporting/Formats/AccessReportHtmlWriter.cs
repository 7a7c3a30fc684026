using System.Globalization;
using DataAccessAudit.Regions;
using NodaTime.Text;

namespace DataAccessAudit.Reporting.Formats;

/// <summary>
/// Writes a report as one self-contained HTML page: no scripts and no external assets (it opens offline and prints),
/// inline SVG charts (a requester-region x data-region heat map, a daily timeline of cross-border and flagged
/// accesses, findings, categories and residency as bars), the top requesters with broad access marked, and the
/// integrity and input problems. Every value from the report is HTML-escaped.
/// </summary>
public static partial class AccessReportHtmlWriter
{
    /// <summary>The default of how many requesters the page lists.</summary>
    public const int DefaultTopRequesters = 15;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // The page's one stylesheet, an embedded resource beside this file (AccessReportHtmlWriter.css).
    private const string StylesResource = "DataAccessAudit.Reporting.Formats.AccessReportHtmlWriter.css";
    private static readonly string Styles = LoadStyles();

    /// <summary>Writes the page.</summary>
    /// <param name="writer">Where the HTML goes (UTF-8 recommended; the page declares UTF-8).</param>
    /// <param name="report">The report.</param>
    /// <param name="topRequesters">How many requesters the page lists (all are in <c>requesters.csv</c>).</param>
    public static void Write(TextWriter writer, AccessReport report, int topRequesters = DefaultTopRequesters)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topRequesters);
        var w = new HtmlPage(writer);
        var t = report.Totals;
        w.Line("<!DOCTYPE html>");
        w.Line("<html lang=\"en\">");
        w.Line("<head>");
        w.Line("<meta charset=\"utf-8\">");
        w.Line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.Line($"<title>Data access report: {H(report.Period.ToString())}</title>");
        w.Line($"<style>{Styles}</style>");
        w.Line("</head>");
        w.Line("<body>");
        w.Line("<header>");
        w.Line("<h1>Data access report</h1>");
        w.Line($"<p class=\"meta\">Period: <strong>{H(report.Period.ToString())}</strong>" +
            (report.Period.FromInstant is { } fi ? $" <span class=\"muted\">[{H(InstantPattern.General.Format(fi))}" : " <span class=\"muted\">[") +
            (report.Period.ToInstant is { } ti ? $", {H(InstantPattern.General.Format(ti))})</span>" : ")</span>") +
            $" · {DecidedBy(report)} · Integrity: <span class=\"badge {IntegrityClass(report.Integrity.Status)}\">{H(report.Integrity.StatusName)}</span>" +
            $" · Input problems: {C(report.InputProblemCount)}</p>");
        if (report.EmptyPeriodNote is { } empty)
        {
            w.Line($"<p class=\"note\"><strong>{H(char.ToUpperInvariant(empty[0]) + empty[1..])}.</strong></p>");
        }

        w.Line("</header>");

        w.Line("<section class=\"kpis\" aria-label=\"Totals\">");
        foreach (var field in CountField.Order)
        {
            var label = CountField.Label(field);
            Kpi(w, char.ToUpperInvariant(label[0]) + label[1..], CountField.ValueOf(t.Counts, field), field == CountFields.Events ? null : t.Counts.Events, KpiTone(field));
        }

        Kpi(w, "Subject records", t.Subjects, null, "");
        w.Line("</section>");
        w.Line($"<p class=\"note\" id=\"subject-records\">{H(ReportFigures.SubjectRecordsDefinition)}</p>");

        NeedingAction(w, report);

        w.Line("<section id=\"matrix\"><h2>Requester region × data region</h2>");
        w.Line("<p class=\"note\">Events by where the requester was (rows) and whose data it was (columns). Each cell gives its events and the share of them flagged or denied, and is coloured by that share: pale at 0%, amber at 25%, red at 50% or more. Outlined cells: some of the pair's events crossed a border. ZZ means the requester's region was not recorded.</p>");
        SvgCharts.HeatMap(w, report);
        w.Line("</section>");

        w.Line("<section id=\"timeline\"><h2>Daily cross-border and flagged accesses</h2>");
        SvgCharts.Timeline(w, report);
        w.Line("</section>");

        w.Line("<div class=\"columns\">");
        w.Line("<section id=\"findings\"><h2>Findings</h2>");
        SvgCharts.Bars(w, report.Findings.Select(f => (f.Finding, f.Events)).ToList(), "bad", "No findings.");
        FindingExplanations(w, report);
        w.Line("</section>");
        w.Line("<section id=\"categories\"><h2>Categories</h2>");
        SvgCharts.Bars(w, report.Categories.Select(c => (c.Category, c.Counts.Events)).ToList(), "neutral", "No events.");
        CategoryTable(w, report);
        w.Line("</section>");
        w.Line("</div>");

        w.Line("<section id=\"requesters\"><h2>Top requesters by distinct protected resources</h2>");
        w.Line($"<p class=\"note\">Broad access: the account reached at least three quarters of the protected resource types seen in the period and ranks among the first {AccessReportBuilder.BroadAccessTopRanks}.</p>");
        Requesters(w, report, topRequesters);
        w.Line("</section>");

        Approvals(w, report, topRequesters);

        BulkThresholds(w, report, topRequesters);

        w.Line("<div class=\"columns\">");
        w.Line("<section id=\"residency\"><h2>Residency</h2>");
        w.Line("<p class=\"note\">Protected accesses served from a data centre outside the data's home jurisdiction, by where it was stored.</p>");
        SvgCharts.Bars(w, report.Residency.Select(r => (r.StoredIn.Code, r.ProtectedEvents)).ToList(), "warn", "None: all protected data was served at home.");
        w.Line("</section>");
        w.Line("<section id=\"integrity\"><h2>Integrity</h2>");
        w.Line($"<p><span class=\"badge {IntegrityClass(report.Integrity.Status)}\">{H(report.Integrity.StatusName)}</span> {H(report.Integrity.Summary)}</p>");
        if (report.Integrity.Checkpoint is { } checkpoint)
        {
            var root = Convert.ToBase64String(checkpoint.RootHash);
            var signers = string.Join(", ", report.Integrity.CheckpointSigners);
            w.Line($"<p id=\"checkpoint\">Log checkpoint: <code>{H(checkpoint.Origin)}</code> · {H(ReportFigures.Count(checkpoint.TreeSize, "record", "records"))} · root <code>{H(root)}</code> · signed by {H(signers)} (check it with <code>access-report verify --public-key</code>)</p>");
        }

        Problems(w, report.Integrity.Problems, report.Integrity.Problems.Count, "integrity-problems", "No integrity problems.");
        w.Line("</section>");
        w.Line("</div>");

        w.Line("<section id=\"input-problems\"><h2>Input problems</h2>");
        w.Line($"<p>{H(ReportFigures.Count(report.InputProblemCount, "line was not an event and was", "lines were not events and were"))} not counted{(report.InputProblemCount > report.InputProblems.Count ? $"; the first {C(report.InputProblems.Count)} are listed" : string.Empty)}.</p>");
        Problems(w, report.InputProblems, report.InputProblemCount, "input-problems-table", "None.");
        w.Line("</section>");

        w.Line($"<footer>Generated as <code>{AccessReport.Schema}</code>. Counts by outcome: an event is allowed, approved, flagged or denied, exactly one of them.");
        var source = ReportSourceText.Lines(report).ToList();
        if (source.Count > 0)
        {
            w.Line("<ul id=\"source\" class=\"source\">");
            foreach (var line in source)
            {
                w.Line($"<li>{H(line)}</li>");
            }

            w.Line("</ul>");
        }

        w.Line("</footer>");
        w.Line("</body>");
        w.Line("</html>");
    }

    // A share is given only of events (value <= of), so it fits a long.
    private static void Kpi(HtmlPage w, string label, Int128 value, long? of, string tone)
    {
        var share = of is { } whole ? $"<span class=\"share\">{H(ReportFigures.Percent((long)value, whole))}</span>" : string.Empty;
        var figure = C(value);
        var separated = figure.Replace(",", ",<wbr>", StringComparison.Ordinal);
        w.Line($"<div class=\"kpi {tone}\"><div class=\"label\">{H(label)}</div><div class=\"value\" style=\"--em:{Width(figure)}\">{separated}</div>{share}</div>");
    }

    // How wide a total's figure is drawn in the page's bold digits, in em: a digit 0.7, a separator 0.4. The page
    // draws the figure smaller when that would not fit its card, and only a figure too long even at 11 px breaks,
    // after a thousands separator, never between digits.
    private static string Width(string figure)
    {
        var separators = figure.Count(c => !char.IsAsciiDigit(c));
        var tenths = (7 * (figure.Length - separators)) + (4 * separators);
        return (tenths / 10.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
    }

    // How a total reads at a glance: crossing a border is a warning, flagged and denied are bad, approved is fine.
    private static string KpiTone(CountFields field) => field switch
    {
        CountFields.CrossBorder => "warn",
        CountFields.Flagged or CountFields.Denied => "bad",
        CountFields.Approved => "ok",
        _ => "",
    };

    // The heading cells of the chosen fields of a row's counts, in the fields' one order.
    private static string CountHeads(CountFields fields)
    {
        var cells = new System.Text.StringBuilder();
        foreach (var field in CountField.Order)
        {
            if ((fields & field) != 0)
            {
                cells.Append("<th class=\"num\">").Append(H(CountField.Label(field))).Append("</th>");
            }
        }

        return cells.ToString();
    }

    // The cells of the chosen fields of a row's counts, in the fields' one order.
    private static string CountCells(in AccessCounts counts, CountFields fields)
    {
        var cells = new System.Text.StringBuilder();
        foreach (var field in CountField.Order)
        {
            if ((fields & field) != 0)
            {
                cells.Append("<td class=\"num\">").Append(C(CountField.ValueOf(counts, field))).Append("</td>");
            }
        }

        return cells.ToString();
    }

    // Each listed finding in plain words, so the page answers "what does this mean and what do I do now".
    private static void FindingExplanations(HtmlPage w, AccessReport report)
    {
        var explained = report.Findings
            .Select(f => (f.Finding, Explanation: FindingExplanation.TryGet(f.Finding, out var e) ? e : null))
            .Where(f => f.Explanation is not null)
            .ToList();
        if (explained.Count == 0)
        {
            return;
        }

        w.Line("<dl class=\"explain\">");
        foreach (var (finding, explanation) in explained)
        {
            w.Line($"<dt id=\"{FindingAnchor(finding)}\"><code>{H(finding)}</code></dt>");
            w.Line($"<dd>{H(explanation!.Meaning)} {H(explanation.WhyItMatters)} <strong>Check:</strong> {H(explanation.WhatToCheck)}</dd>");
        }

        w.Line("</dl>");
    }

    private static void CategoryTable(HtmlPage w, AccessReport report)
    {
        if (report.Categories.Count == 0)
        {
            return;
        }

        const CountFields shown = CountFields.Events | CountFields.CrossBorder | CountFields.Flagged | CountFields.Denied;
        w.Line($"<table class=\"compact\"><thead><tr><th>category</th>{CountHeads(shown)}</tr></thead><tbody>");
        foreach (var c in report.Categories)
        {
            w.Line($"<tr><td>{H(c.Category)}</td>{CountCells(c.Counts, shown)}</tr>");
        }

        w.Line("</tbody></table>");
    }

    private static void Requesters(HtmlPage w, AccessReport report, int topRequesters)
    {
        if (report.Requesters.Count == 0)
        {
            w.Line("<p class=\"empty\">No requesters.</p>");
            return;
        }

        var max = Math.Max(1, report.Requesters[0].ProtectedResources);
        const CountFields shown = CountFields.Events | CountFields.Flagged;
        w.Line($"<table id=\"requesters-table\"><thead><tr><th>#</th><th>requester</th><th>region</th>{CountHeads(shown)}<th>distinct protected resources</th><th class=\"num\">types</th><th class=\"num\"><abbr title=\"{H(ReportFigures.SubjectRecordsDefinition)}\">subject records</abbr></th><th>access</th></tr></thead><tbody>");
        var rank = 0;
        foreach (var r in report.Requesters.Take(topRequesters))
        {
            rank++;
            var share = (100.0 * r.ProtectedResources / max).ToString("0.#", Invariant);
            w.Line($"<tr{(r.BroadAccess ? " class=\"broad\"" : string.Empty)}><td class=\"num\">{rank}</td><td class=\"id\">{IdText(r.Id)}</td><td>{H(r.Region.Code)}</td>{CountCells(r.Counts, shown)}" +
                $"<td><div class=\"meter\"><span style=\"width:{share}%\"></span></div><span class=\"meter-value\">{C(r.ProtectedResources)}</span></td><td class=\"num\">{C(r.ResourceTypes)}</td><td class=\"num\">{C(r.Subjects)}</td>" +
                $"<td>{(r.BroadAccess ? "<span class=\"badge bad\">broad access</span>" : string.Empty)}</td></tr>");
        }

        w.Line("</tbody></table>");
        if (report.Requesters.Count > topRequesters)
        {
            w.Line($"<p class=\"note\">{H(ReportFigures.Count(report.Requesters.Count - topRequesters, "more requester", "more requesters"))} in <code>requesters.csv</code>.</p>");
        }
    }

    private static void Problems(HtmlPage w, IReadOnlyList<DataAccessAudit.Interchange.InputProblem> problems, long total, string id, string empty)
    {
        if (total == 0)
        {
            w.Line($"<p class=\"empty\">{H(empty)}</p>");
            return;
        }

        w.Line($"<table id=\"{id}\" class=\"compact\"><thead><tr><th>source</th><th class=\"num\">line</th><th>reason</th></tr></thead><tbody>");
        foreach (var p in problems)
        {
            w.Line($"<tr><td class=\"id\">{IdText(p.Source)}</td><td class=\"num\">{p.Line.ToString(Invariant)}</td><td>{H(p.Message)}</td></tr>");
        }

        w.Line("</tbody></table>");
    }

    private static string IntegrityClass(IntegrityStatus status) => status switch
    {
        IntegrityStatus.Verified => "ok",
        IntegrityStatus.Broken => "bad",
        // Intact but unkeyed, or not checked: nothing is known to be wrong, and nothing is proven either.
        _ => "warn",
    };

    private static string H(string value) => HtmlText.Escape(value);

    // Which policies decided the events, or (when the report does not say) its policy alone.
    private static string DecidedBy(AccessReport report) =>
        DecisionsText.Describe(report, static name => $"<code>{H(name)}</code>") is { } words
            ? $"{DecisionsText.Label}: {words}"
            : $"Policy: <code>{H(report.Policy)}</code>";

    private static string C(long value) => ReportFigures.Count(value);

    private static string C(Int128 value) => ReportFigures.Count(value);

    private static string LoadStyles()
    {
        using var stream = typeof(AccessReportHtmlWriter).Assembly.GetManifestResourceStream(StylesResource)
            ?? throw new InvalidOperationException($"The embedded resource {StylesResource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n").TrimEnd('\n');
    }
}
