using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting.Aggregation;

// Everything counted for one requester id. Regions are a short list because a requester is almost always seen from
// one or two regions; distinct protected resources are a set of 64-bit hashes (see ResourceIdHash).
internal sealed class RequesterTally
{
    private (Region Region, long Count)[] _regions = new (Region, long)[1];
    private int _regionCount;

    public OutcomeCounts Counts;

    public long Subjects;

    public HashSet<ulong>? ProtectedResources { get; private set; }

    public HashSet<string>? ResourceTypes { get; private set; }

    public void AddRegion(Region region, long count)
    {
        for (var i = 0; i < _regionCount; i++)
        {
            if (_regions[i].Region == region)
            {
                _regions[i].Count += count;
                return;
            }
        }

        if (_regionCount == _regions.Length)
        {
            Array.Resize(ref _regions, _regions.Length * 2);
        }

        _regions[_regionCount++] = (region, count);
    }

    public void AddProtected(ulong resourceHash, string? type)
    {
        (ProtectedResources ??= []).Add(resourceHash);
        if (type is not null)
        {
            (ResourceTypes ??= new HashSet<string>(StringComparer.Ordinal)).Add(type);
        }
    }

    // The region seen most often; ties go to the alphabetically first code ("ZZ" for unknown sorts as its code).
    public Region MostFrequentRegion()
    {
        var best = Region.Unknown;
        var bestCount = -1L;
        for (var i = 0; i < _regionCount; i++)
        {
            var (region, count) = _regions[i];
            if (count > bestCount || (count == bestCount && string.CompareOrdinal(region.Code, best.Code) < 0))
            {
                best = region;
                bestCount = count;
            }
        }

        return best;
    }

    public void Merge(RequesterTally other)
    {
        Counts.Add(other.Counts);
        Subjects += other.Subjects;
        for (var i = 0; i < other._regionCount; i++)
        {
            AddRegion(other._regions[i].Region, other._regions[i].Count);
        }

        if (other.ProtectedResources is { } resources)
        {
            (ProtectedResources ??= []).UnionWith(resources);
        }

        if (other.ResourceTypes is { } types)
        {
            (ResourceTypes ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(types);
        }
    }

    public void Add(AccessOutcome outcome, bool crossBorder, int subjects, Region region)
    {
        Counts.Add(outcome, crossBorder);
        Subjects += subjects;
        AddRegion(region, 1);
    }
}
