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

    public Int128 Subjects;

    public HashSet64? ProtectedResources { get; private set; }

    // Distinct protected resource types: a requester reaches few, so a short list searched by reference (the fast
    // path hands the same string instances) beats hashing each type.
    private string[]? _types;
    private int _typeCount;

    public int ResourceTypeCount => _typeCount;

    public IEnumerable<string> ResourceTypes => _types is null ? [] : _types.Take(_typeCount);

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

    public void AddProtected(ulong resourceHash, string? type, SharedResourceSets sets, string requesterId)
    {
        var resources = ProtectedResources ??= sets.For(requesterId);
        lock (resources)
        {
            resources.Add(resourceHash);
        }

        if (type is not null)
        {
            AddType(type);
        }
    }

    private void AddType(string type)
    {
        for (var i = 0; i < _typeCount; i++)
        {
            if (ReferenceEquals(_types![i], type))
            {
                return;
            }
        }

        for (var i = 0; i < _typeCount; i++)
        {
            if (string.Equals(_types![i], type, StringComparison.Ordinal))
            {
                return;
            }
        }

        _types ??= new string[4];
        if (_typeCount == _types.Length)
        {
            Array.Resize(ref _types, _typeCount * 2);
        }

        _types[_typeCount++] = type;
    }

    // The region seen most often; ties go to the first in Region's order (by code, unknown last).
    public Region MostFrequentRegion()
    {
        var best = Region.Unknown;
        var bestCount = -1L;
        for (var i = 0; i < _regionCount; i++)
        {
            var (region, count) = _regions[i];
            if (count > bestCount || (count == bestCount && region < best))
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

        if (other.ProtectedResources is { } resources && !ReferenceEquals(resources, ProtectedResources))
        {
            var mine = ProtectedResources ?? new HashSet64();

            // Merge the smaller set into the larger: fewer inserts and no growth of the larger one's array.
            var (larger, smaller) = mine.Count >= resources.Count ? (mine, resources) : (resources, mine);
            larger.UnionWith(smaller);
            ProtectedResources = larger;
        }

        for (var i = 0; i < other._typeCount; i++)
        {
            AddType(other._types![i]);
        }
    }

    public void Add(AccessOutcome outcome, bool crossBorder, long subjects, Region region)
    {
        Counts.Add(outcome, crossBorder);
        Subjects += subjects;
        AddRegion(region, 1);
    }
}
