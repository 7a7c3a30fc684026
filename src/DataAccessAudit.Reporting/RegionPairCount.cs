using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting;

/// <summary>One cell of the requester-region x data-region matrix.</summary>
/// <param name="RequesterRegion">Where the requesters were (<see cref="Region.Unknown"/>, <c>ZZ</c>, when not recorded).</param>
/// <param name="DataRegion">The home region of the data.</param>
/// <param name="Counts">Events of this pair, by outcome and border.</param>
public sealed record RegionPairCount(Region RequesterRegion, Region DataRegion, AccessCounts Counts)
{
    /// <summary>
    /// Gets whether at least one event of this pair crossed a border by its decision (the recorded one, or the report
    /// policy's when none was recorded), so it never contradicts the cross-border counts. This yes or no is what the
    /// report formats show for a pair; <see cref="AccessCounts.CrossBorder"/> of <see cref="Counts"/> says how many.
    /// </summary>
    public bool CrossBorder => Counts.CrossBorder > 0;
}
