using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting;

/// <summary>One cell of the requester-region x data-region matrix.</summary>
/// <param name="RequesterRegion">Where the requesters were (<see cref="Region.Unknown"/>, <c>ZZ</c>, when not recorded).</param>
/// <param name="DataRegion">The home region of the data.</param>
/// <param name="Events">Events of this pair.</param>
/// <param name="CrossBorder">
/// Whether at least one event of this pair crossed a border by its decision (the recorded one, or the report policy's
/// when none was recorded), so it never contradicts the cross-border counts.
/// </param>
/// <param name="Flagged">Events of this pair whose outcome is <c>flagged</c>.</param>
/// <param name="Denied">Events of this pair whose outcome is <c>denied</c>.</param>
/// <param name="Approved">Events of this pair whose outcome is <c>approved</c>.</param>
public sealed record RegionPairCount(Region RequesterRegion, Region DataRegion, long Events, bool CrossBorder, long Flagged, long Denied, long Approved);
