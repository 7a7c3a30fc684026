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

    private const int HeatMapRows = 12;
    private const int HeatMapColumns = 10;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the page.</summary>
    /// <param name="writer">Where the HTML goes (UTF-8 recommended; the page declares UTF-8).</param>
    /// <param name="report">The report.</param>
    /// <param name="topRequesters">How many requesters the page lists (all are in <c>requesters.csv</c>).</param>
    public static void Write(TextWriter writer, AccessReport report, int topRequesters = DefaultTopRequesters)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topRequesters);
        var w = new Page(writer);
        var t = report.Totals;
        w.Line("<!DOCTYPE html>");
        w.Line("<html lang=\"en\">");
        w.Line("<head>");
        w.Line("<meta charset=\"utf-8\">");
        w.Line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.Line($"<title>Data access report: {H(report.Period.ToString())}</title>");
        w.Line($"<style>{Styles}{BulkStyles}{NeedingActionStyles}</style>");
        w.Line("</head>");
        w.Line("<body>");
        w.Line("<header>");
        w.Line("<h1>Data access report</h1>");
        w.Line($"<p class=\"meta\">Period: <strong>{H(report.Period.ToString())}</strong>" +
            (report.Period.FromInstant is { } fi ? $" <span class=\"muted\">[{H(InstantPattern.General.Format(fi))}" : " <span class=\"muted\">[") +
            (report.Period.ToInstant is { } ti ? $", {H(InstantPattern.General.Format(ti))})</span>" : ")</span>") +
            $" · Policy: <code>{H(report.Policy)}</code> · Integrity: <span class=\"badge {IntegrityClass(report.Integrity.Status)}\">{H(report.Integrity.StatusName)}</span>" +
            $" · Input problems: {C(report.InputProblemCount)}</p>");
        if (report.EmptyPeriodNote is { } empty)
        {
            w.Line($"<p class=\"note\"><strong>{H(char.ToUpperInvariant(empty[0]) + empty[1..])}.</strong></p>");
        }

        w.Line("</header>");

        w.Line("<section class=\"kpis\" aria-label=\"Totals\">");
        Kpi(w, "Events", t.Events, null, "");
        Kpi(w, "Cross-border", t.CrossBorder, t.Events, "warn");
        Kpi(w, "Flagged", t.Flagged, t.Events, "bad");
        Kpi(w, "Denied", t.Denied, t.Events, "bad");
        Kpi(w, "Approved", t.Approved, t.Events, "ok");
        Kpi(w, "Subject records", t.Subjects, null, "");
        w.Line("</section>");
        w.Line($"<p class=\"note\" id=\"subject-records\">{H(ReportFigures.SubjectRecordsDefinition)}</p>");

        NeedingAction(w, report);

        w.Line("<section id=\"matrix\"><h2>Requester region × data region</h2>");
        w.Line("<p class=\"note\">Events by where the requester was (rows) and whose data it was (columns). Red cells: at least one event of the pair crossed a border by its decision; blue cells: none did. ZZ means the requester's region was not recorded.</p>");
        HeatMap(w, report);
        w.Line("</section>");

        w.Line("<section id=\"timeline\"><h2>Daily cross-border and flagged accesses</h2>");
        Timeline(w, report);
        w.Line("</section>");

        w.Line("<div class=\"columns\">");
        w.Line("<section id=\"findings\"><h2>Findings</h2>");
        Bars(w, report.Findings.Select(f => (f.Finding, f.Events)).ToList(), "bad", "No findings.");
        FindingExplanations(w, report);
        w.Line("</section>");
        w.Line("<section id=\"categories\"><h2>Categories</h2>");
        Bars(w, report.Categories.Select(c => (c.Category, c.Events)).ToList(), "neutral", "No events.");
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
        Bars(w, report.Residency.Select(r => (r.StoredIn.Code, r.ProtectedEvents)).ToList(), "warn", "None: all protected data was served at home.");
        w.Line("</section>");
        w.Line("<section id=\"integrity\"><h2>Integrity</h2>");
        w.Line($"<p><span class=\"badge {IntegrityClass(report.Integrity.Status)}\">{H(report.Integrity.StatusName)}</span> {H(report.Integrity.Summary)}</p>");
        if (report.Integrity.Checkpoint is { } checkpoint)
        {
            var size = checkpoint.TreeSize.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            var root = Convert.ToBase64String(checkpoint.RootHash);
            var signers = string.Join(", ", report.Integrity.CheckpointSigners);
            w.Line($"<p id=\"checkpoint\">Log checkpoint: <code>{H(checkpoint.Origin)}</code> · {H(size)} records · root <code>{H(root)}</code> · signed by {H(signers)} (check it with <code>access-report verify --public-key</code>)</p>");
        }

        Problems(w, report.Integrity.Problems, report.Integrity.Problems.Count, "integrity-problems", "No integrity problems.");
        w.Line("</section>");
        w.Line("</div>");

        w.Line("<section id=\"input-problems\"><h2>Input problems</h2>");
        w.Line($"<p>{C(report.InputProblemCount)} lines were not events and were not counted{(report.InputProblemCount > report.InputProblems.Count ? $"; the first {C(report.InputProblems.Count)} are listed" : string.Empty)}.</p>");
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

    private static void Kpi(Page w, string label, long value, long? of, string tone)
    {
        var share = of is { } whole ? $"<span class=\"share\">{H(ReportFigures.Share(value, whole))}</span>" : string.Empty;
        w.Line($"<div class=\"kpi {tone}\"><div class=\"label\">{H(label)}</div><div class=\"value\">{C(value)}</div>{share}</div>");
    }

    private static void HeatMap(Page w, AccessReport report)
    {
        if (report.RegionPairs.Count == 0)
        {
            w.Line("<p class=\"empty\">No events.</p>");
            return;
        }

        // The busiest regions get their own row or column; the rest are summed into "other".
        var rows = Top(report.RegionPairs.GroupBy(p => p.RequesterRegion.Code), HeatMapRows);
        var columns = Top(report.RegionPairs.GroupBy(p => p.DataRegion.Code), HeatMapColumns);
        var cells = new Dictionary<(string Row, string Column), (long Events, long Flagged, bool CrossBorder)>();
        foreach (var p in report.RegionPairs)
        {
            var row = rows.Contains(p.RequesterRegion.Code) ? p.RequesterRegion.Code : "other";
            var column = columns.Contains(p.DataRegion.Code) ? p.DataRegion.Code : "other";
            cells.TryGetValue((row, column), out var cell);
            cells[(row, column)] = (cell.Events + p.Events, cell.Flagged + p.Flagged, cell.CrossBorder || p.CrossBorder);
        }

        if (cells.Keys.Any(k => k.Row == "other"))
        {
            rows.Add("other");
        }

        if (cells.Keys.Any(k => k.Column == "other"))
        {
            columns.Add("other");
        }

        const int cellWidth = 88, cellHeight = 34, left = 64, top = 44;
        var width = Math.Max(left + (columns.Count * cellWidth) + 8, 340);
        var height = top + (rows.Count * cellHeight) + 8;
        var max = Math.Log10(cells.Values.Max(c => c.Events) + 1);
        w.Line($"<svg class=\"chart\" role=\"img\" aria-label=\"Heat map of events by requester region and data region\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        w.Line("<text x=\"4\" y=\"14\" class=\"axis\">rows: requester region · columns: data region</text>");
        for (var c = 0; c < columns.Count; c++)
        {
            w.Line($"<text x=\"{left + (c * cellWidth) + (cellWidth / 2)}\" y=\"{top - 10}\" class=\"axis\" text-anchor=\"middle\">{H(columns[c])}</text>");
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var y = top + (r * cellHeight);
            w.Line($"<text x=\"{left - 8}\" y=\"{y + (cellHeight / 2) + 4}\" class=\"axis\" text-anchor=\"end\">{H(rows[r])}</text>");
            for (var c = 0; c < columns.Count; c++)
            {
                var x = left + (c * cellWidth);
                if (!cells.TryGetValue((rows[r], columns[c]), out var cell))
                {
                    w.Line($"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" class=\"cell-empty\"/>");
                    continue;
                }

                var intensity = max == 0 ? 0 : Math.Log10(cell.Events + 1) / max;
                var fill = cell.CrossBorder ? Shade(intensity, 214, 48, 49) : Shade(intensity, 37, 99, 235);
                var ink = intensity > 0.55 ? "#fff" : "#111";
                w.Line($"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" fill=\"{fill}\"><title>{H(rows[r])} → {H(columns[c])}: {C(cell.Events)} events, {C(cell.Flagged)} flagged{(cell.CrossBorder ? ", cross-border" : string.Empty)}</title></rect>");
                w.Line($"<text x=\"{x + (cellWidth / 2)}\" y=\"{y + (cellHeight / 2) + 4}\" text-anchor=\"middle\" class=\"cell-label\" fill=\"{ink}\">{H(Compact(cell.Events))}</text>");
            }
        }

        w.Line("</svg>");
    }

    private static List<string> Top(IEnumerable<IGrouping<string, RegionPairCount>> groups, int count) =>
        groups.Select(g => (Code: g.Key, Events: g.Sum(p => p.Events)))
            .OrderByDescending(g => g.Events).ThenBy(g => g.Code, StringComparer.Ordinal)
            .Take(count).Select(g => g.Code).ToList();

    private static void Timeline(Page w, AccessReport report)
    {
        var days = report.Daily;
        if (days.Count == 0)
        {
            w.Line("<p class=\"empty\">No events.</p>");
            return;
        }

        const int width = 1160, height = 260, left = 56, right = 16, top = 16, bottom = 40;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var max = Math.Max(1, days.Max(d => Math.Max(d.CrossBorder, d.Flagged + d.Denied)));
        var step = days.Count == 1 ? 0 : plotWidth / (double)(days.Count - 1);
        string X(int i) => (left + (days.Count == 1 ? plotWidth / 2.0 : i * step)).ToString("0.#", Invariant);
        string Y(long v) => (top + plotHeight - (plotHeight * v / (double)max)).ToString("0.#", Invariant);

        w.Line($"<svg class=\"chart wide\" role=\"img\" aria-label=\"Daily cross-border and flagged accesses\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMinYMin meet\">");
        for (var g = 0; g <= 4; g++)
        {
            var value = max * g / 4;
            w.Line($"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(value)}\" y2=\"{Y(value)}\" class=\"grid\"/>");
            w.Line($"<text x=\"{left - 6}\" y=\"{Y(value)}\" dy=\"4\" text-anchor=\"end\" class=\"axis\">{H(Compact(value))}</text>");
        }

        // One tick per month (on the 1st), or per day when the period is short.
        for (var i = 0; i < days.Count; i++)
        {
            var date = days[i].Date;
            if ((days.Count > 62 && date.Day == 1) || (days.Count <= 62 && (days.Count <= 14 || date.DayOfWeek == NodaTime.IsoDayOfWeek.Monday)))
            {
                var label = days.Count > 62 ? date.ToString("MMM yyyy", Invariant) : date.ToString("MMM d", Invariant);
                w.Line($"<line x1=\"{X(i)}\" x2=\"{X(i)}\" y1=\"{top + plotHeight}\" y2=\"{top + plotHeight + 5}\" class=\"tick\"/>");
                w.Line($"<text x=\"{X(i)}\" y=\"{top + plotHeight + 20}\" text-anchor=\"middle\" class=\"axis\">{H(label)}</text>");
            }
        }

        Polyline(w, days.Select((d, i) => $"{X(i)},{Y(d.CrossBorder)}"), "line-cross");
        Polyline(w, days.Select((d, i) => $"{X(i)},{Y(d.Flagged + d.Denied)}"), "line-flagged");
        w.Line($"<g class=\"legend\"><rect x=\"{left + 10}\" y=\"{top + 2}\" width=\"12\" height=\"4\" class=\"key-cross\"/><text x=\"{left + 28}\" y=\"{top + 8}\">cross-border</text>" +
            $"<rect x=\"{left + 130}\" y=\"{top + 2}\" width=\"12\" height=\"4\" class=\"key-flagged\"/><text x=\"{left + 148}\" y=\"{top + 8}\">flagged or denied</text></g>");
        w.Line("</svg>");
        var busiest = days.MaxBy(d => d.Flagged + d.Denied)!;
        w.Line($"<p class=\"note\">{C(days.Count)} days in {H(report.Period.TimeZone.Id)}; most flagged on {H(LocalDatePattern.Iso.Format(busiest.Date))} ({C(busiest.Flagged + busiest.Denied)} of {C(busiest.Events)} events). Daily figures in full: <code>daily.csv</code>.</p>");
    }

    private static void Polyline(Page w, IEnumerable<string> points, string cssClass) =>
        w.Line($"<polyline class=\"{cssClass}\" points=\"{string.Join(' ', points)}\"/>");

    private static void Bars(Page w, List<(string Label, long Value)> rows, string tone, string empty)
    {
        if (rows.Count == 0)
        {
            w.Line($"<p class=\"empty\">{H(empty)}</p>");
            return;
        }

        const int width = 560, rowHeight = 26, labelWidth = 250;
        var height = (rows.Count * rowHeight) + 4;
        var max = Math.Max(1, rows.Max(r => r.Value));
        w.Line($"<svg class=\"chart bars\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value) = rows[i];
            var y = i * rowHeight;
            var barWidth = Math.Max(1, (width - labelWidth - 80) * value / (double)max);
            w.Line($"<text x=\"{labelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\" class=\"axis\">{H(label)}</text>");
            w.Line($"<rect x=\"{labelWidth}\" y=\"{y + 4}\" width=\"{barWidth.ToString("0.#", Invariant)}\" height=\"{rowHeight - 8}\" class=\"bar {tone}\"><title>{H(label)}: {C(value)}</title></rect>");
            w.Line($"<text x=\"{(labelWidth + barWidth + 6).ToString("0.#", Invariant)}\" y=\"{y + 17}\" class=\"value-label\">{C(value)}</text>");
        }

        w.Line("</svg>");
    }

    // Each listed finding in plain words, so the page answers "what does this mean and what do I do now".
    private static void FindingExplanations(Page w, AccessReport report)
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
            w.Line($"<dt><code>{H(finding)}</code></dt>");
            w.Line($"<dd>{H(explanation!.Meaning)} {H(explanation.WhyItMatters)} <strong>Check:</strong> {H(explanation.WhatToCheck)}</dd>");
        }

        w.Line("</dl>");
    }

    private static void CategoryTable(Page w, AccessReport report)
    {
        if (report.Categories.Count == 0)
        {
            return;
        }

        w.Line("<table class=\"compact\"><thead><tr><th>category</th><th class=\"num\">events</th><th class=\"num\">cross-border</th><th class=\"num\">flagged</th><th class=\"num\">denied</th></tr></thead><tbody>");
        foreach (var c in report.Categories)
        {
            w.Line($"<tr><td>{H(c.Category)}</td><td class=\"num\">{C(c.Events)}</td><td class=\"num\">{C(c.CrossBorder)}</td><td class=\"num\">{C(c.Flagged)}</td><td class=\"num\">{C(c.Denied)}</td></tr>");
        }

        w.Line("</tbody></table>");
    }

    private static void Requesters(Page w, AccessReport report, int topRequesters)
    {
        if (report.Requesters.Count == 0)
        {
            w.Line("<p class=\"empty\">No requesters.</p>");
            return;
        }

        var max = Math.Max(1, report.Requesters[0].ProtectedResources);
        w.Line($"<table id=\"requesters-table\"><thead><tr><th>#</th><th>requester</th><th>region</th><th class=\"num\">events</th><th class=\"num\">flagged</th><th>distinct protected resources</th><th class=\"num\">types</th><th class=\"num\"><abbr title=\"{H(ReportFigures.SubjectRecordsDefinition)}\">subject records</abbr></th><th>access</th></tr></thead><tbody>");
        var rank = 0;
        foreach (var r in report.Requesters.Take(topRequesters))
        {
            rank++;
            var share = (100.0 * r.ProtectedResources / max).ToString("0.#", Invariant);
            w.Line($"<tr{(r.BroadAccess ? " class=\"broad\"" : string.Empty)}><td class=\"num\">{rank}</td><td class=\"id\">{H(r.Id)}</td><td>{H(r.Region.Code)}</td><td class=\"num\">{C(r.Events)}</td><td class=\"num\">{C(r.Flagged)}</td>" +
                $"<td><div class=\"meter\"><span style=\"width:{share}%\"></span></div><span class=\"meter-value\">{C(r.ProtectedResources)}</span></td><td class=\"num\">{r.ResourceTypes}</td><td class=\"num\">{C(r.Subjects)}</td>" +
                $"<td>{(r.BroadAccess ? "<span class=\"badge bad\">broad access</span>" : string.Empty)}</td></tr>");
        }

        w.Line("</tbody></table>");
        if (report.Requesters.Count > topRequesters)
        {
            w.Line($"<p class=\"note\">{C(report.Requesters.Count - topRequesters)} more requesters in <code>requesters.csv</code>.</p>");
        }
    }

    private static void Problems(Page w, IReadOnlyList<DataAccessAudit.Interchange.InputProblem> problems, long total, string id, string empty)
    {
        if (total == 0)
        {
            w.Line($"<p class=\"empty\">{H(empty)}</p>");
            return;
        }

        w.Line($"<table id=\"{id}\" class=\"compact\"><thead><tr><th>source</th><th class=\"num\">line</th><th>reason</th></tr></thead><tbody>");
        foreach (var p in problems)
        {
            w.Line($"<tr><td class=\"id\">{H(p.Source)}</td><td class=\"num\">{p.Line.ToString(Invariant)}</td><td>{H(p.Message)}</td></tr>");
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

    // Mixes white with a colour: intensity 0 is a pale tint, 1 the full colour.
    private static string Shade(double intensity, int r, int g, int b)
    {
        var t = 0.12 + (0.88 * intensity);
        int Mix(int c) => (int)Math.Round(255 - ((255 - c) * t));
        return $"#{Mix(r):x2}{Mix(g):x2}{Mix(b):x2}";
    }

    private static string Compact(long value) => value switch
    {
        >= 10_000_000 => (value / 1_000_000.0).ToString("0", Invariant) + "M",
        >= 1_000_000 => (value / 1_000_000.0).ToString("0.#", Invariant) + "M",
        >= 10_000 => (value / 1000.0).ToString("0", Invariant) + "k",
        _ => value.ToString(Invariant),
    };

    private static string H(string value) => HtmlText.Escape(value);

    private static string C(long value) => ReportFigures.Count(value);

    private const string Styles = """
        :root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bad:#d63031;--warn:#e17000;--ok:#1a7f37;--blue:#2563eb;--bg:#fff}
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg);margin:0 auto;padding:24px 32px;max-width:1240px}
        h1{font-size:26px;margin:0 0 4px}
        h2{font-size:17px;margin:0 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
        section{margin:0 0 24px;break-inside:avoid;page-break-inside:avoid}
        .meta{margin:0 0 16px;color:var(--ink)}
        .muted,.note,footer{color:var(--muted)}
        .note{font-size:12.5px;margin:4px 0 8px}
        .empty{color:var(--muted);font-style:italic}
        code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}
        .kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:12px}
        .kpi{border:1px solid var(--line);border-radius:8px;padding:10px 12px;border-top:4px solid var(--line)}
        .kpi.bad{border-top-color:var(--bad)}.kpi.warn{border-top-color:var(--warn)}.kpi.ok{border-top-color:var(--ok)}
        .kpi .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
        .kpi .value{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
        .kpi .share{font-size:12px;color:var(--muted)}
        .columns{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px}
        .chart{max-width:100%;height:auto;display:block;font-size:12px}
        .chart.wide{width:100%}
        .chart text{fill:var(--ink)}
        .chart .axis{fill:var(--muted);font-size:12px}
        .chart .cell-label{font-size:12px;font-weight:600;font-variant-numeric:tabular-nums}
        .chart .value-label{font-size:12px;fill:var(--ink);font-variant-numeric:tabular-nums}
        .cell-empty{fill:#f6f8fa}
        .grid{stroke:#eaeef2;stroke-width:1}.tick{stroke:var(--muted)}
        .line-cross{fill:none;stroke:var(--warn);stroke-width:1.6}
        .line-flagged{fill:none;stroke:var(--bad);stroke-width:1.6}
        .key-cross{fill:var(--warn)}.key-flagged{fill:var(--bad)}
        .legend text{font-size:12px}
        .bar.bad{fill:var(--bad)}.bar.warn{fill:var(--warn)}.bar.neutral{fill:var(--blue)}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:middle}
        th{font-size:12px;color:var(--muted);font-weight:600}
        td.num,th.num{text-align:right}
        td.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
        table.compact{margin-top:8px;font-size:13px}
        tr.broad td{background:#fff1f0}
        .meter{display:inline-block;width:160px;height:10px;background:#eaeef2;border-radius:5px;vertical-align:middle;margin-right:8px;overflow:hidden}
        .meter span{display:block;height:100%;background:var(--bad)}
        .meter-value{font-variant-numeric:tabular-nums}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--muted)}
        .badge.ok{background:var(--ok)}.badge.warn{background:var(--warn)}.badge.bad{background:var(--bad)}
        footer{font-size:12px;border-top:1px solid var(--line);padding-top:8px}
        .source{margin:4px 0 0;padding-left:18px;overflow-wrap:anywhere}
        .explain{margin:8px 0 0;font-size:13px}.explain dt{margin-top:6px}.explain dd{margin:2px 0 0 12px;color:var(--muted)}
        @media (max-width:900px){.columns{grid-template-columns:1fr}.kpis{grid-template-columns:repeat(3,1fr)}}
        @media print{
          @page{size:A4;margin:14mm}
          body{padding:0;max-width:none;font-size:11px}
          *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
          .kpis{grid-template-columns:repeat(6,1fr)}
          .columns{grid-template-columns:1fr 1fr}
          h2{break-after:avoid}
          tr{break-inside:avoid}
        }
        """;

    // Writes lines to the underlying writer with "\n" line ends whatever the platform, so output is byte-identical.
    private sealed class Page(TextWriter writer)
    {
        public void Line(string text)
        {
            writer.Write(text);
            writer.Write('\n');
        }
    }
}
