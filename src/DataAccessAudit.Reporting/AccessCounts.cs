namespace DataAccessAudit.Reporting;

/// <summary>
/// Events counted by outcome and by border: what the totals and every row of a report (a category, a day, a region
/// pair, a requester) count.
/// </summary>
/// <remarks>
/// An event has exactly one outcome (allowed, approved, flagged or denied), so <see cref="Flagged"/>,
/// <see cref="Denied"/> and <see cref="Approved"/> never add up to more than <see cref="Events"/>; the rest were
/// allowed. Whether an event crossed a border is counted apart from its outcome, by its decision (the recorded one,
/// or the report policy's when none was recorded).
/// </remarks>
/// <param name="Events">Events counted.</param>
/// <param name="CrossBorder">Of these, events whose decision says they crossed a border.</param>
/// <param name="Flagged">Of these, events whose outcome is <c>flagged</c>.</param>
/// <param name="Denied">Of these, events whose outcome is <c>denied</c> (not also counted as flagged).</param>
/// <param name="Approved">Of these, events whose outcome is <c>approved</c>.</param>
public readonly record struct AccessCounts(long Events, long CrossBorder, long Flagged, long Denied, long Approved)
{
    /// <summary>Adds two counts, such as those of two days or two rows.</summary>
    /// <param name="left">The first counts.</param>
    /// <param name="right">The second counts.</param>
    /// <returns>Their sum, field by field.</returns>
    public static AccessCounts operator +(AccessCounts left, AccessCounts right) => new(
        left.Events + right.Events,
        left.CrossBorder + right.CrossBorder,
        left.Flagged + right.Flagged,
        left.Denied + right.Denied,
        left.Approved + right.Approved);
}
