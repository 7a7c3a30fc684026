namespace DataAccessAudit.Reporting;

/// <summary>The totals of a report: every event in the period, by outcome and border.</summary>
/// <param name="Events">Events in the period.</param>
/// <param name="CrossBorder">Events whose decision says they crossed a border.</param>
/// <param name="Flagged">Events whose outcome is <c>flagged</c>.</param>
/// <param name="Denied">Events whose outcome is <c>denied</c> (not also counted as flagged).</param>
/// <param name="Approved">Events whose outcome is <c>approved</c>.</param>
/// <param name="Subjects">
/// The sum of the events' <c>subjects</c> ("subject records"), exact: each event may carry up to 2^53-1, so the sum can
/// pass <see cref="long.MaxValue"/> after about a thousand events.
/// </param>
public sealed record ReportTotals(long Events, long CrossBorder, long Flagged, long Denied, long Approved, Int128 Subjects);
