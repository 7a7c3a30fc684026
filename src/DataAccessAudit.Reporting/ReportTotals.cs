namespace DataAccessAudit.Reporting;

/// <summary>The totals of a report: every event in the period, by outcome and border.</summary>
/// <param name="Counts">Events in the period, by outcome and border.</param>
/// <param name="Subjects">
/// The sum of the events' <c>subjects</c> ("subject records"), exact: each event may carry up to 2^53-1, so the sum can
/// pass <see cref="long.MaxValue"/> after about a thousand events.
/// </param>
public sealed record ReportTotals(AccessCounts Counts, Int128 Subjects);
