using System.Globalization;

namespace DataAccessAudit.Reporting.Formats;

/// <content>The bulk-data thresholds section (US 28 CFR 202): a bar per kind and counterparty against its threshold.</content>
public static partial class AccessReportHtmlWriter
{
    private static void BulkThresholds(HtmlPage w, AccessReport report, int topRows)
    {
        if (report.BulkThresholds.Count == 0)
        {
            return;
        }

        var window = report.BulkThresholds[0].Window;
        w.Line("<section id=\"bulk-thresholds\"><h2>Bulk sensitive data: countries of concern and covered persons (28 CFR 202)</h2>");
        w.Line($"<p class=\"note\">Distinct U.S. persons (or devices) whose data each counterparty reached from {window.Start.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)} to {window.End.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)} (12 months), against the bulk threshold of each kind: a full bar is the threshold, red has crossed it. Counterparties are covered organizations, or requesters in a country of concern. The rule adds up each counterparty's accesses on their own, so the total over all counterparties is never marked crossed. Estimated figures come from a distinct-count sketch of subject keys; upper bounds add the subject records that carried no keys.</p>");
        w.Line("<table id=\"bulk-thresholds-table\"><thead><tr><th>kind</th><th>counterparty</th><th>distinct vs threshold</th><th class=\"num\">threshold</th><th>first crossed</th><th>top requesters</th></tr></thead><tbody>");
        foreach (var group in report.BulkThresholds.GroupBy(r => r.Kind))
        {
            foreach (var row in group.Where(r => r.Counterparty is null || r.DistinctPersons > 0 || r.FirstCrossed is not null).Take(topRows + 1))
            {
                var fraction = row.Fraction ?? (row.Crossed ? 1.0 : 0.0);
                var tone = BulkThresholdText.IsBulk(row) ? " crossed" : BulkThresholdText.IsNear(row) ? " half" : string.Empty;
                var width = (Math.Min(fraction, 1) * 100).ToString("0.#", CultureInfo.InvariantCulture);
                var who = row.Counterparty is { } c
                    ? $"<span class=\"id\">{IdText(c.Name)}</span>{(c.IsOrganization ? " <span class=\"muted\">(organization)</span>" : string.Empty)}"
                    : "all counterparties";
                var combined = row.CombinedWith.Count > 0 ? $" <span class=\"muted\">combined with {H(string.Join(", ", row.CombinedWith))}</span>" : string.Empty;
                w.Line($"<tr{(row.Counterparty is null ? " class=\"total\"" : string.Empty)}><td>{H(row.Kind)}{combined}</td><td>{who}</td>" +
                    $"<td><div class=\"threshold{tone}\" title=\"{H(BulkThresholdText.Share(row))} of the threshold\"><span style=\"width:{width}%\"></span></div>{H(BulkThresholdText.Figure(row))}</td>" +
                    $"<td class=\"num\">{H(BulkThresholdText.Threshold(row))}</td>" +
                    $"<td>{(row.Counterparty is null ? "<span class=\"muted\">-</span>" : row.FirstCrossed is { } first ? $"<span class=\"badge bad\">{first.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}</span>" : "<span class=\"muted\">not crossed</span>")}</td>" +
                    $"<td class=\"id\">{string.Join(", ", row.TopRequesters.Select(t => $"{IdText(t.RequesterId)} ({H(C(t.SubjectRecords))})"))}</td></tr>");
            }
        }

        w.Line("</tbody></table>");
        w.Line("</section>");
    }
}
