using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Formats;

/// <content>The accesses needing action: the flagged and denied events, most severe first, the first of them listed.</content>
public static partial class AccessReportHtmlWriter
{
    private static void NeedingAction(HtmlPage w, AccessReport report)
    {
        var actions = report.NeedingAction;
        w.Line("<section id=\"needing-action\"><h2>Accesses needing action</h2>");
        if (actions.Count == 0)
        {
            w.Line("<p class=\"empty\">None: no access was flagged or denied.</p>");
            w.Line("</section>");
            return;
        }

        w.Line($"<p class=\"note\">Every flagged or denied access, most severe first (denied, then a country of concern, then protected data across a border, then the rest), newest first within each; times in {H(report.Period.TimeZone.Id)}. "
            + $"{(actions.First.Count < actions.Count ? $"The first {C(actions.First.Count)} of {C(actions.Count)} are listed; " : string.Empty)}<code>needing-action.csv</code> lists all of them in this order. Each finding links to what it means and what to check, under Findings.</p>");
        w.Line("<div class=\"severity\">");
        foreach (var severity in Enum.GetValues<ActionSeverity>())
        {
            w.Line($"<span>{H(NeedingActionText.SeverityTitle(severity))}: <strong>{C(actions.CountOf(severity))}</strong></span>");
        }

        w.Line("</div>");
        if (actions.First.Count == 0)
        {
            w.Line("</section>");
            return;
        }

        w.Line("<div class=\"scroll\"><table id=\"needing-action-table\" class=\"compact\"><thead><tr><th>time</th><th>severity</th><th>requester</th><th>region</th><th>organization</th><th>resource</th><th>type</th><th>findings</th><th>approval</th></tr></thead><tbody>");
        foreach (var record in actions.First)
        {
            var e = record.Event;
            var severity = AccessesNeedingAction.SeverityOf(record);
            var tone = severity == ActionSeverity.Flagged ? "warn" : "bad";
            w.Line($"<tr><td class=\"when\">{H(NeedingActionText.PageTime(e.Time, report.Period.TimeZone))}</td>"
                + $"<td><span class=\"badge {tone}\">{H(NeedingActionText.Severity(severity))}</span></td>"
                + $"<td class=\"id\">{IdText(e.Requester.Id)}</td><td>{H(e.Requester.Region.Code)}</td><td>{H(e.Requester.Organization ?? string.Empty)}</td>"
                + $"<td class=\"id\">{IdText(e.Resource.Id)} <span class=\"muted\">({H(e.Resource.Category.Name)}, {H(e.Resource.Region.Code)})</span></td><td>{H(e.Resource.Type ?? string.Empty)}</td>"
                + $"<td class=\"findings\">{FindingLinks(record)}</td><td>{H(NeedingActionText.Approval(e))}</td></tr>");
        }

        w.Line("</tbody></table></div>");
        w.Line("</section>");
    }

    // The access's findings, each that has an explanation linked to it (under Findings) with its meaning as the
    // link's tooltip, so that the reader of a row learns what a finding means where they meet it.
    private static string FindingLinks(AccessRecord record) => string.Join(", ", record.Decision!.Value.Findings.Select(f =>
        FindingExplanation.TryGet(f.Name, out var explanation)
            ? $"<a href=\"#{FindingAnchor(f.Name)}\" title=\"{H(explanation.Meaning)}\">{H(f.Name)}</a>"
            : H(f.Name)));

    // The id of a finding's explanation under Findings; built-in finding names are lower-case words and hyphens.
    private static string FindingAnchor(string finding) => H("finding-" + finding);

    // An id, escaped, with a break opportunity after each separator so that a long id wraps there, not mid-word.
    private static string IdText(string id)
    {
        var escaped = H(id);
        var builder = new System.Text.StringBuilder(escaped.Length + 8);
        foreach (var c in escaped)
        {
            builder.Append(c);
            if (IdBreaks.AllowedAfter(c))
            {
                builder.Append("<wbr>");
            }
        }

        return builder.ToString();
    }
}
