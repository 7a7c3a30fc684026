using System.Globalization;
using NodaTime.Text;

namespace DataAccessAudit.Reporting.Formats;

// The HTML page's inline SVG charts: the requester-region x data-region heat map, the daily timeline and bars. Every
// value from the report is HTML-escaped; numbers are formatted invariantly, so the page is the same on every machine.
internal static class SvgCharts
{
    private const int HeatMapRows = 12;
    private const int HeatMapColumns = 10;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void HeatMap(HtmlPage w, AccessReport report)
    {
        if (report.RegionPairs.Count == 0)
        {
            w.Line("<p class=\"empty\">No events.</p>");
            return;
        }

        // The busiest regions get their own row or column; the rest are summed into "other".
        var rows = Top(report.RegionPairs.GroupBy(p => p.RequesterRegion.Code), HeatMapRows);
        var columns = Top(report.RegionPairs.GroupBy(p => p.DataRegion.Code), HeatMapColumns);
        var cells = new Dictionary<(string Row, string Column), AccessCounts>();
        foreach (var p in report.RegionPairs)
        {
            var row = rows.Contains(p.RequesterRegion.Code) ? p.RequesterRegion.Code : "other";
            var column = columns.Contains(p.DataRegion.Code) ? p.DataRegion.Code : "other";
            cells.TryGetValue((row, column), out var cell);
            cells[(row, column)] = cell + p.Counts;
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
                var fill = cell.CrossBorder > 0 ? Shade(intensity, 214, 48, 49) : Shade(intensity, 37, 99, 235);
                var ink = intensity > 0.55 ? "#fff" : "#111";
                w.Line($"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" fill=\"{fill}\"><title>{H(rows[r])} → {H(columns[c])}: {C(cell.Events)} events, {C(cell.Flagged)} flagged{(cell.CrossBorder > 0 ? ", cross-border" : string.Empty)}</title></rect>");
                w.Line($"<text x=\"{x + (cellWidth / 2)}\" y=\"{y + (cellHeight / 2) + 4}\" text-anchor=\"middle\" class=\"cell-label\" fill=\"{ink}\">{H(Compact(cell.Events))}</text>");
            }
        }

        w.Line("</svg>");
    }

    private static List<string> Top(IEnumerable<IGrouping<string, RegionPairCount>> groups, int count) =>
        groups.Select(g => (Code: g.Key, Events: g.Sum(p => p.Counts.Events)))
            .OrderByDescending(g => g.Events).ThenBy(g => g.Code, StringComparer.Ordinal)
            .Take(count).Select(g => g.Code).ToList();

    public static void Timeline(HtmlPage w, AccessReport report)
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
        var max = Math.Max(1, days.Max(d => Math.Max(d.Counts.CrossBorder, d.Counts.Flagged + d.Counts.Denied)));
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

        Polyline(w, days.Select((d, i) => $"{X(i)},{Y(d.Counts.CrossBorder)}"), "line-cross");
        Polyline(w, days.Select((d, i) => $"{X(i)},{Y(d.Counts.Flagged + d.Counts.Denied)}"), "line-flagged");
        w.Line($"<g class=\"legend\"><rect x=\"{left + 10}\" y=\"{top + 2}\" width=\"12\" height=\"4\" class=\"key-cross\"/><text x=\"{left + 28}\" y=\"{top + 8}\">cross-border</text>" +
            $"<rect x=\"{left + 130}\" y=\"{top + 2}\" width=\"12\" height=\"4\" class=\"key-flagged\"/><text x=\"{left + 148}\" y=\"{top + 8}\">flagged or denied</text></g>");
        w.Line("</svg>");
        var busiest = days.MaxBy(d => d.Counts.Flagged + d.Counts.Denied)!;
        w.Line($"<p class=\"note\">{H(ReportFigures.Count(days.Count, "day", "days"))} in {H(report.Period.TimeZone.Id)}; most flagged on {H(LocalDatePattern.Iso.Format(busiest.Date))} ({C(busiest.Counts.Flagged + busiest.Counts.Denied)} of {H(ReportFigures.Count(busiest.Counts.Events, "event", "events"))}). Daily figures in full: <code>daily.csv</code>.</p>");
    }

    private static void Polyline(HtmlPage w, IEnumerable<string> points, string cssClass) =>
        w.Line($"<polyline class=\"{cssClass}\" points=\"{string.Join(' ', points)}\"/>");

    public static void Bars(HtmlPage w, List<(string Label, long Value)> rows, string tone, string empty)
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
}
