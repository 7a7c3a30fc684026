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

    // The heat map colours a cell by the share of its events flagged or denied: pale at 0, amber at half of MaxShare,
    // red from MaxShare up, since a pair where half the accesses need action is as urgent as one where all of them do.
    private const double MaxShare = 0.5;
    private const int LegendSteps = 4;
    private static readonly (double At, int R, int G, int B)[] ShareScale = [(0, 0xee, 0xf2, 0xf7), (0.5, 0xf2, 0xa1, 0x3c), (1, 0xb4, 0x1e, 0x1e)];

    // How wide a chart's 12 px text is at most, per character (wide glyphs and digits of system-ui fonts), so that
    // labels are placed and cut where they cannot run past the chart's edge.
    private const double CharWidth = 7.5;

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

        const int cellWidth = 88, cellHeight = 42, left = 64, top = 44, legendHeight = 64;
        var width = Math.Max(left + (columns.Count * cellWidth) + 8, 340);
        var gridBottom = top + (rows.Count * cellHeight);
        var height = gridBottom + legendHeight;
        w.Line($"<svg class=\"chart heat\" role=\"img\" aria-label=\"Heat map: for each requester region (row) and data region (column), its events and the share of them flagged or denied, coloured from 0% to 50% or more\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
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
                    w.Line($"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" class=\"cell-empty\"><title>{H(rows[r])} → {H(columns[c])}: no events</title></rect>");
                    continue;
                }

                var needAction = cell.Flagged + cell.Denied;
                var crossed = cell.CrossBorder > 0;
                var share = cell.Events == 0 ? 0 : needAction / (double)cell.Events;
                var percent = ReportFigures.Percent(needAction, cell.Events);
                var fill = ShareColour(share);
                var ink = LightInkOn(fill) ? " light" : string.Empty;
                w.Line($"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" fill=\"{fill}\"{(crossed ? " class=\"cross\"" : string.Empty)}>"
                    + $"<title>{H(rows[r])} → {H(columns[c])}: {H(ReportFigures.Count(cell.Events, "event", "events"))}, {C(needAction)} flagged or denied ({H(percent)}){(crossed ? $", {C(cell.CrossBorder)} crossed a border" : string.Empty)}</title></rect>");
                w.Line($"<text x=\"{x + (cellWidth / 2)}\" y=\"{y + 18}\" text-anchor=\"middle\" class=\"cell-label{ink}\">{H(ReportFigures.Compact(cell.Events))}</text>");
                w.Line($"<text x=\"{x + (cellWidth / 2)}\" y=\"{y + 33}\" text-anchor=\"middle\" class=\"cell-share{ink}\">{H(percent)}</text>");
            }
        }

        // The legend states the scale in numbers, so the colours are never the only way to read it.
        var ly = gridBottom + 14;
        w.Line($"<g class=\"legend\"><text x=\"4\" y=\"{ly + 11}\">flagged or denied:</text>");
        const int swatch = 32, swatchLeft = 124;
        for (var i = 0; i <= LegendSteps; i++)
        {
            var stepShare = MaxShare * i / LegendSteps;
            w.Line($"<rect x=\"{swatchLeft + (i * swatch)}\" y=\"{ly}\" width=\"{swatch}\" height=\"14\" fill=\"{ShareColour(stepShare)}\"/>");
        }

        for (var i = 0; i <= LegendSteps; i += LegendSteps / 2)
        {
            var label = ReportFigures.Percent(MaxShare * i / LegendSteps) + (i == LegendSteps ? "+" : string.Empty);
            w.Line($"<text x=\"{swatchLeft + (i * swatch) + (swatch / 2)}\" y=\"{ly + 28}\" text-anchor=\"middle\">{label}</text>");
        }

        w.Line($"<rect x=\"4\" y=\"{ly + 36}\" width=\"{swatch}\" height=\"14\" fill=\"{ShareColour(0)}\" class=\"cross\"/><text x=\"{swatch + 10}\" y=\"{ly + 47}\">outlined: some of the pair's events crossed a border</text></g>");
        w.Line("</svg>");
    }

    internal static string ShareColour(double share)
    {
        var t = Math.Clamp(share / MaxShare, 0, 1);
        var upper = t <= ShareScale[1].At ? 1 : 2;
        var (a, b) = (ShareScale[upper - 1], ShareScale[upper]);
        var f = (t - a.At) / (b.At - a.At);
        int Mix(int from, int to) => (int)Math.Round(from + ((to - from) * f));
        return $"#{Mix(a.R, b.R):x2}{Mix(a.G, b.G):x2}{Mix(a.B, b.B):x2}";
    }

    // Whether white text contrasts more with a cell's fill than the page's near-black ink does (WCAG luminance).
    private static bool LightInkOn(string fill)
    {
        static double Linear(int c) => c / 255.0 <= 0.04045 ? c / 255.0 / 12.92 : Math.Pow(((c / 255.0) + 0.055) / 1.055, 2.4);
        var rgb = Convert.ToInt32(fill[1..], 16);
        var luminance = (0.2126 * Linear(rgb >> 16)) + (0.7152 * Linear((rgb >> 8) & 0xff)) + (0.0722 * Linear(rgb & 0xff));
        const double ink = 0.0137; // #1f2328, the page's --ink
        return 1.05 / (luminance + 0.05) > (luminance + 0.05) / (ink + 0.05);
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

        const int width = 1160, height = 260, right = 16, top = 16, bottom = 40;
        var ticks = AxisTicks.For(days.Max(d => Math.Max(d.Counts.CrossBorder, d.Counts.Flagged + d.Counts.Denied)));
        var tickLabels = ticks.Values.Select(v => (Value: v, Label: ReportFigures.Compact(v))).ToList();

        // The count labels end 6 px left of the plot and start at least 4 px inside the chart, however long they are.
        var left = Math.Max(56, 10 + (int)Math.Ceiling(tickLabels.Max(t => TextWidth(t.Label))));
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var step = days.Count == 1 ? 0 : plotWidth / (double)(days.Count - 1);
        double Xd(int i) => left + (days.Count == 1 ? plotWidth / 2.0 : i * step);
        string X(int i) => Xd(i).ToString("0.#", Invariant);
        string Y(long v) => (top + plotHeight - (plotHeight * v / (double)ticks.Top)).ToString("0.#", Invariant);

        w.Line($"<svg class=\"chart wide\" role=\"img\" aria-label=\"Daily cross-border and flagged accesses\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMinYMin meet\">");
        foreach (var (value, label) in tickLabels)
        {
            w.Line($"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(value)}\" y2=\"{Y(value)}\" class=\"grid\"/>");
            w.Line($"<text x=\"{left - 6}\" y=\"{Y(value)}\" dy=\"4\" text-anchor=\"end\" class=\"axis\">{H(label)}</text>");
        }

        // One tick per month (on the 1st), or per day when the period is short. A label near an edge of the chart
        // is moved inward (its tick stays) so that it is never cut.
        for (var i = 0; i < days.Count; i++)
        {
            var date = days[i].Date;
            if ((days.Count > 62 && date.Day == 1) || (days.Count <= 62 && (days.Count <= 14 || date.DayOfWeek == NodaTime.IsoDayOfWeek.Monday)))
            {
                var label = days.Count > 62 ? date.ToString("MMM yyyy", Invariant) : date.ToString("MMM d", Invariant);
                var half = TextWidth(label) / 2;
                var labelX = Math.Clamp(Xd(i), 2 + half, width - 2 - half).ToString("0.#", Invariant);
                w.Line($"<line x1=\"{X(i)}\" x2=\"{X(i)}\" y1=\"{top + plotHeight}\" y2=\"{top + plotHeight + 5}\" class=\"tick\"/>");
                w.Line($"<text x=\"{labelX}\" y=\"{top + plotHeight + 20}\" text-anchor=\"middle\" class=\"axis\">{H(label)}</text>");
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

        // The longest value label decides how long the longest bar may be; a name too long for its room is cut
        // with an ellipsis, whole in its tooltip.
        var valueRoom = 6 + TextWidth(rows.Select(r => C(r.Value)).MaxBy(v => v.Length)!) + 4;
        var barRoom = width - labelWidth - valueRoom;
        w.Line($"<svg class=\"chart bars\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value) = rows[i];
            var y = i * rowHeight;
            var barWidth = Math.Max(1, barRoom * value / (double)max);
            var shown = Fit(label, labelWidth - 8 - 4);
            var tooltip = shown.Length < label.Length ? $"<title>{H(label)}</title>" : string.Empty;
            w.Line($"<text x=\"{labelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\" class=\"axis\">{tooltip}{H(shown)}</text>");
            w.Line($"<rect x=\"{labelWidth}\" y=\"{y + 4}\" width=\"{barWidth.ToString("0.#", Invariant)}\" height=\"{rowHeight - 8}\" class=\"bar {tone}\"><title>{H(label)}: {C(value)}</title></rect>");
            w.Line($"<text x=\"{(labelWidth + barWidth + 6).ToString("0.#", Invariant)}\" y=\"{y + 17}\" class=\"value-label\">{C(value)}</text>");
        }

        w.Line("</svg>");
    }

    private static double TextWidth(string text) => text.Length * CharWidth;

    // The text cut to fit a width, an ellipsis marking the cut; never between the two halves of a surrogate pair.
    private static string Fit(string text, double room)
    {
        if (TextWidth(text) <= room)
        {
            return text;
        }

        var keep = Math.Max(0, (int)(room / CharWidth) - 1);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return text[..keep] + "…";
    }

    private static string H(string value) => HtmlText.Escape(value);

    private static string C(long value) => ReportFigures.Count(value);
}
