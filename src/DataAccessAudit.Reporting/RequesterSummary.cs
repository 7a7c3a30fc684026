using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting;

/// <summary>What one requester (one <c>requester.id</c>) did in the period.</summary>
/// <param name="Id">The requester id.</param>
/// <param name="Region">The requester region seen most often for this id (ties: alphabetical; <c>ZZ</c> for unknown).</param>
/// <param name="Counts">Their events, by outcome and border.</param>
/// <param name="ProtectedResources">Distinct <c>resource.id</c> among their protected accesses.</param>
/// <param name="ResourceTypes">Distinct <c>resource.type</c> among their protected accesses.</param>
/// <param name="Subjects">The sum of their events' <c>subjects</c> ("subject records"), exact (see <see cref="ReportTotals.Subjects"/>).</param>
/// <param name="BroadAccess">Whether the account reaches most kinds of protected data (see <see cref="AccessReportBuilder"/>).</param>
public sealed record RequesterSummary(
    string Id,
    Region Region,
    AccessCounts Counts,
    long ProtectedResources,
    int ResourceTypes,
    Int128 Subjects,
    bool BroadAccess);
