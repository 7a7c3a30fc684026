using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting.Aggregation;

// Compares region pairs without the general ValueTuple comparer: a region is a small integer, so the pair's hash is
// a cheap combination of the two.
internal sealed class RegionPairComparer : IEqualityComparer<(Region Requester, Region Data)>
{
    public static RegionPairComparer Instance { get; } = new();

    public bool Equals((Region Requester, Region Data) x, (Region Requester, Region Data) y) =>
        x.Requester == y.Requester && x.Data == y.Data;

    public int GetHashCode((Region Requester, Region Data) obj) => (obj.Requester.GetHashCode() * 1031) ^ obj.Data.GetHashCode();
}
