namespace DataAccessAudit.Reporting;

/// <summary>The approvals one approver gave, or one requester used, for accesses they covered in the period.</summary>
/// <param name="Name">The approver (<c>approval.approvedBy</c>; empty when not recorded) or the requester id.</param>
/// <param name="Approvals">How many distinct approvals (<c>approval.id</c>) were used.</param>
/// <param name="Accesses">How many accesses they covered: events whose outcome is <c>approved</c>.</param>
public sealed record ApprovalUsage(string Name, long Approvals, long Accesses);
