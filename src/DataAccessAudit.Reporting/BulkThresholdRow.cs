using DataAccessAudit.BulkData;
using NodaTime;

namespace DataAccessAudit.Reporting;

/// <summary>
/// One line of the report's <c>bulkThresholds</c> section: how many distinct U.S. persons' (or devices') data of one
/// sensitive kind a counterparty reached over the 12 months ending on the report's last date, against the kind's bulk
/// threshold (28 CFR 202.205). A line with no counterparty is the total for the kind over all counterparties.
/// </summary>
/// <param name="Kind">The kind of sensitive data, such as <c>covered-personal-identifiers</c>.</param>
/// <param name="Unit">Whether persons or devices are counted.</param>
/// <param name="Counterparty">The covered organization or requester; null for the total over all counterparties.</param>
/// <param name="Window">The 12 months ending on the report's last date (local dates in the report's time zone).</param>
/// <param name="DistinctPersons">Distinct persons (or devices) in the window.</param>
/// <param name="Basis">Whether <paramref name="DistinctPersons"/> is exact, estimated or an upper bound.</param>
/// <param name="RelativeError">The relative standard error of an estimate (0 when exact or an upper bound).</param>
/// <param name="Threshold">The threshold that applies: the kind's, or a lower one when its data was combined with a kind of lower threshold (28 CFR 202.205(g)).</param>
/// <param name="CombinedWith">The other kinds the data was combined with in the window (resource types carrying several kinds).</param>
/// <param name="FirstCrossed">The first date in the window whose preceding 12 months exceeded the threshold; null if none.</param>
/// <param name="TopRequesters">The requesters who contributed most (by subject records), at most <see cref="MaxTopRequesters"/>.</param>
public sealed record BulkThresholdRow(
    string Kind,
    BulkCountUnit Unit,
    BulkCounterparty? Counterparty,
    BulkWindow Window,
    long DistinctPersons,
    BulkCountBasis Basis,
    double RelativeError,
    long Threshold,
    IReadOnlyList<string> CombinedWith,
    LocalDate? FirstCrossed,
    IReadOnlyList<BulkContributor> TopRequesters)
{
    /// <summary>How many contributors a row lists.</summary>
    public const int MaxTopRequesters = 5;

    /// <summary>Gets a value indicating whether the figure exceeds the threshold now (at the window's end).</summary>
    public bool Crossed => BulkThreshold.IsCrossed(DistinctPersons, Threshold);

    /// <summary>Gets the figure as a fraction of the threshold (1 is the threshold itself; crossed above it); null for a threshold of zero (any amount).</summary>
    public double? Fraction => Threshold == 0 ? null : (double)DistinctPersons / Threshold;
}
