namespace DataAccessAudit.Reporting.Formats;

/// <content>The approvals section: approvals used by approver and by requester, and those used outside their window.</content>
public static partial class AccessReportMarkdownWriter
{
    private static void WriteApprovals(TextWriter writer, AccessReport report, int topRows)
    {
        var approvals = report.Approvals;
        writer.WriteLine("## Approvals");
        writer.WriteLine();
        writer.WriteLine(ApprovalsText.OutsideWindow(approvals));
        writer.WriteLine();
        if (approvals.ByApprover.Count == 0)
        {
            writer.WriteLine(ApprovalsText.NoneUsed);
            writer.WriteLine();
        }
        else
        {
            foreach (var (label, rows) in new[] { ("approver", approvals.ByApprover), ("requester", approvals.ByRequester) })
            {
                writer.WriteLine($"| {label} | {string.Join(" | ", ApprovalsText.UsageColumns)} |");
                writer.WriteLine("|---|---:|---:|");
                foreach (var row in rows.Take(topRows))
                {
                    writer.WriteLine($"| {(row.Name.Length == 0 ? $"_{ApprovalsText.NotRecorded}_" : E(row.Name))} | {C(row.Approvals)} | {C(row.Accesses)} |");
                }

                More(writer, rows.Count, topRows, "approvals.csv");
            }
        }

        if (approvals.OutsideWindow.Count > 0)
        {
            writer.WriteLine("| time | requester | resource | approval | outcome |");
            writer.WriteLine("|---|---|---|---|---|");
            foreach (var record in approvals.OutsideWindow)
            {
                var e = record.Event;
                writer.WriteLine($"| {NeedingActionText.PageTime(e.Time, report.Period.TimeZone)} | {E(e.Requester.Id)} ({e.Requester.Region.Code}) | {E(e.Resource.Id)} | {E(NeedingActionText.Approval(e))} | {NeedingActionText.Outcome(record)} |");
            }

            writer.WriteLine();
        }
    }
}
