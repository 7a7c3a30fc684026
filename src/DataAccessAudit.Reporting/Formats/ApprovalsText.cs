namespace DataAccessAudit.Reporting.Formats;

// How the human formats word the approvals section, so the page and the Markdown agree.
internal static class ApprovalsText
{
    public const string NoneUsed = "No approval was used.";

    // Shown for an approver (or requester) whose name the approval did not record.
    public const string NotRecorded = "not recorded";

    // The accesses that carried an approval outside its validity window, such as "3 accesses carried an approval
    // outside its window: 2 expired, 1 not yet valid."; our own words and digits, nothing to escape.
    public static string OutsideWindow(ReportApprovals approvals) =>
        $"{ReportFigures.Count(approvals.Expired + approvals.NotYetValid, "access", "accesses")} carried an approval outside its window: "
        + $"{ReportFigures.Count(approvals.Expired)} expired, {ReportFigures.Count(approvals.NotYetValid)} not yet valid.";

    // The columns of a usage table after its label (approver or requester).
    public static readonly string[] UsageColumns = ["approvals", "accesses"];
}
