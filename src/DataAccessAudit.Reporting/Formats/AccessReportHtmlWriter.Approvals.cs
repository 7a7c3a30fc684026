namespace DataAccessAudit.Reporting.Formats;

/// <content>The approvals section: approvals used by approver and by requester, and those used outside their window.</content>
public static partial class AccessReportHtmlWriter
{
    private static void Approvals(HtmlPage w, AccessReport report, int topRows)
    {
        var approvals = report.Approvals;
        w.Line("<section id=\"approvals\"><h2>Approvals</h2>");
        w.Line("<p class=\"note\">Approvals used: the accesses they covered (outcome approved), by who approved them and by who used them. An access that carried an approval outside its validity window is not covered by it: it is counted and listed here.</p>");
        w.Line($"<p id=\"approvals-outside-window\">{H(ApprovalsText.OutsideWindow(approvals))}</p>");
        if (approvals.ByApprover.Count == 0)
        {
            w.Line($"<p class=\"empty\">{H(ApprovalsText.NoneUsed)}</p>");
        }
        else
        {
            w.Line("<div class=\"columns\">");
            UsageTable(w, "approvals-by-approver", "approver", approvals.ByApprover, topRows);
            UsageTable(w, "approvals-by-requester", "requester", approvals.ByRequester, topRows);
            w.Line("</div>");
        }

        if (approvals.OutsideWindow.Count > 0)
        {
            w.Line($"<p class=\"note\">The newest {C(approvals.OutsideWindow.Count)} of them; times in {H(report.Period.TimeZone.Id)}.</p>");
            w.Line("<div class=\"scroll\"><table id=\"approvals-outside-window-table\" class=\"compact\"><thead><tr><th>time</th><th>requester</th><th>resource</th><th>approval</th><th>outcome</th></tr></thead><tbody>");
            foreach (var record in approvals.OutsideWindow)
            {
                var e = record.Event;
                w.Line($"<tr><td class=\"when\">{H(NeedingActionText.PageTime(e.Time, report.Period.TimeZone))}</td><td class=\"id\">{IdText(e.Requester.Id)} <span class=\"muted\">({H(e.Requester.Region.Code)})</span></td>"
                    + $"<td class=\"id\">{IdText(e.Resource.Id)}</td><td>{H(NeedingActionText.Approval(e))}</td><td>{H(NeedingActionText.Outcome(record))}</td></tr>");
            }

            w.Line("</tbody></table></div>");
        }

        w.Line("</section>");
    }

    private static void UsageTable(HtmlPage w, string id, string label, IReadOnlyList<ApprovalUsage> rows, int topRows)
    {
        w.Line($"<div class=\"scroll\"><table id=\"{id}\" class=\"compact\"><thead><tr><th>{label}</th>{string.Concat(ApprovalsText.UsageColumns.Select(c => $"<th class=\"num\">{c}</th>"))}</tr></thead><tbody>");
        foreach (var row in rows.Take(topRows))
        {
            var name = row.Name.Length == 0 ? $"<span class=\"muted\">{H(ApprovalsText.NotRecorded)}</span>" : IdText(row.Name);
            w.Line($"<tr><td class=\"id\">{name}</td><td class=\"num\">{C(row.Approvals)}</td><td class=\"num\">{C(row.Accesses)}</td></tr>");
        }

        w.Line("</tbody></table></div>");
    }
}
