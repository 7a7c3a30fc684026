using NodaTime;

namespace DataAccessAudit.BulkData;

/// <summary>
/// Raised by <see cref="BulkDataMonitor"/> when a counterparty's distinct persons of one kind over the preceding 12
/// months rise past a fraction of the kind's bulk threshold (once per crossing: again only after falling back below).
/// </summary>
/// <param name="Kind">The kind of sensitive data, such as <c>covered-personal-identifiers</c>.</param>
/// <param name="Counterparty">The covered organization or requester.</param>
/// <param name="Level">The fraction of the threshold that was passed, such as 0.5 or 1 (1 is the threshold itself: bulk); for a threshold of zero, the one level it alerts at (see <see cref="BulkDataMonitorOptions.AlertFractions"/>).</param>
/// <param name="DistinctPersons">Distinct persons (or devices) in the window when the alert was raised.</param>
/// <param name="Threshold">The threshold that applies (lowered for combined data).</param>
/// <param name="UpperBound">True when accesses without subject keys (or with fewer keys than subjects) contributed, so <paramref name="DistinctPersons"/> is an upper bound.</param>
/// <param name="Date">The last date (UTC) of the 12 months whose figure passed the level: the date of the access that raised it, or of the latest access seen when an earlier access arrived late and raised it (the first date a report in UTC finds the threshold crossed), or, for a saved figure judged at start against a lowered threshold or a new level, of the latest access of its counterparty and kind seen before the restart. That is the window <paramref name="DistinctPersons"/> counts, not necessarily the first day the level in force was passed, which may be earlier and which the monitor cannot recover: it keeps only the current window's days, so the 12 months ending on an earlier day cannot be recounted (a report over the log gives the first day the threshold itself was crossed, as <c>firstCrossed</c>).</param>
public sealed record BulkThresholdAlert(
    string Kind,
    BulkCounterparty Counterparty,
    double Level,
    long DistinctPersons,
    long Threshold,
    bool UpperBound,
    LocalDate Date);
