namespace DataAccessAudit.Reporting;

/// <summary>How many events carry one finding (an event with two findings counts under both).</summary>
/// <param name="Finding">The finding's stable name, such as <c>cross-border-protected-access</c>.</param>
/// <param name="Events">Events that carry it.</param>
public sealed record FindingCount(string Finding, long Events);
