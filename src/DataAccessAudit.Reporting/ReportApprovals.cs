using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting;

/// <summary>
/// How approvals were used in the period: the accesses they covered (outcome <c>approved</c>) by approver and by
/// requester, and the accesses that carried an approval outside its validity window, which are counted and listed
/// here rather than only adding to "flagged".
/// </summary>
public sealed class ReportApprovals
{
    /// <summary>Creates the section.</summary>
    /// <param name="byApprover">By approver, accesses descending, then name.</param>
    /// <param name="byRequester">By requester, accesses descending, then id.</param>
    /// <param name="expired">Accesses after their approval's <c>validUntil</c>.</param>
    /// <param name="notYetValid">Accesses before their approval's <c>validFrom</c>.</param>
    /// <param name="outsideWindow">The newest of those accesses, newest first, with the decision the report used.</param>
    public ReportApprovals(
        IReadOnlyList<ApprovalUsage> byApprover,
        IReadOnlyList<ApprovalUsage> byRequester,
        long expired,
        long notYetValid,
        IReadOnlyList<AccessRecord> outsideWindow)
    {
        ArgumentNullException.ThrowIfNull(byApprover);
        ArgumentNullException.ThrowIfNull(byRequester);
        ArgumentNullException.ThrowIfNull(outsideWindow);
        ArgumentOutOfRangeException.ThrowIfNegative(expired);
        ArgumentOutOfRangeException.ThrowIfNegative(notYetValid);
        ByApprover = byApprover;
        ByRequester = byRequester;
        Expired = expired;
        NotYetValid = notYetValid;
        OutsideWindow = outsideWindow;
    }

    /// <summary>Gets a section without any approval.</summary>
    public static ReportApprovals None { get; } = new([], [], 0, 0, []);

    /// <summary>Gets the approvals used by approver (<c>approval.approvedBy</c>), accesses descending, then name.</summary>
    public IReadOnlyList<ApprovalUsage> ByApprover { get; }

    /// <summary>Gets the approvals used by requester, accesses descending, then id.</summary>
    public IReadOnlyList<ApprovalUsage> ByRequester { get; }

    /// <summary>Gets how many accesses carried an approval that had expired (after its <c>validUntil</c>).</summary>
    public long Expired { get; }

    /// <summary>Gets how many accesses carried an approval that was not yet valid (before its <c>validFrom</c>).</summary>
    public long NotYetValid { get; }

    /// <summary>
    /// Gets the newest accesses that carried an approval outside its window, newest first (then by event id), up to
    /// <see cref="AccessReportOptions.NeedingActionRows"/>; each with the decision the report used.
    /// </summary>
    public IReadOnlyList<AccessRecord> OutsideWindow { get; }
}
