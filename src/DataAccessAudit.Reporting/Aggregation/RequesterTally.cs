using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting.Aggregation;

// Everything counted for one requester id. A log can hold millions of requesters seen a handful of times each, so a
// tally's size is a report's size: the first region, the first protected resource type and the first distinct
// protected resource are held in fields, and an array (more regions, more types) or a set of 64-bit hashes (see
// ResourceIdHash; from the second distinct resource on) is made only when a second one appears. A tally seen once
// is then one object of about 150 bytes instead of five objects, a native table and a shared-set entry (over 400).
internal sealed class RequesterTally(string id)
{
    public OutcomeCounts Counts;

    public Int128 Subjects;

    // The regions the requester was seen from, with counts: the first here, the others (a requester is almost always
    // seen from one or two) in a short list.
    private Region _region;
    private long _regionCount;
    private (Region Region, long Count)[]? _moreRegions;
    private int _moreRegionCount;

    // The first distinct protected resource, until a second one makes the set.
    private ulong _firstResource;
    private bool _hasFirstResource;

    // Distinct protected resource types: a requester reaches few, so a short list searched by reference (the fast
    // path hands the same string instances) beats hashing each type.
    private string? _firstType;
    private string[]? _moreTypes;
    private int _typeCount;

    // The requester id, the one string of it that the report holds.
    public string Id { get; } = id;

    // The set of distinct protected resources, once there are two; null before.
    public HashSet64? ProtectedResources { get; private set; }

    // A built report reads a tally as its requester's row (RequesterRows) instead of copying it into a row object of
    // its own (millions of requesters, over 100 bytes each): the tally is frozen then, and a builder that goes on
    // counting counts into a copy (Thaw), so the report never changes. The count of distinct resources is kept as it
    // was here, since the set may be shared with the copy and go on growing; -1 while not frozen.
    private long _resourcesWhenFrozen = -1;

    public bool IsFrozen => _resourcesWhenFrozen >= 0;

    public long ProtectedResourceCount =>
        _resourcesWhenFrozen >= 0 ? _resourcesWhenFrozen : ProtectedResources?.Count ?? (_hasFirstResource ? 1 : 0);

    // Makes the tally a row of a built report: nothing changes it afterwards.
    public void Freeze()
    {
        if (!IsFrozen)
        {
            _resourcesWhenFrozen = ProtectedResourceCount;
        }
    }

    // A tally that counts on from where this frozen one stands, to take its place in the builder. The set of distinct
    // resources is handed on (the frozen tally keeps only its count); the lists that counting changes are copied.
    public RequesterTally Thaw() => new(Id)
    {
        Counts = Counts,
        Subjects = Subjects,
        _region = _region,
        _regionCount = _regionCount,
        _moreRegions = (_moreRegions?.Clone() as (Region Region, long Count)[]),
        _moreRegionCount = _moreRegionCount,
        _firstResource = _firstResource,
        _hasFirstResource = _hasFirstResource,
        _firstType = _firstType,
        _moreTypes = (_moreTypes?.Clone() as string[]),
        _typeCount = _typeCount,
        ProtectedResources = ProtectedResources,
    };

    public int ResourceTypeCount => _typeCount;

    public IEnumerable<string> ResourceTypes =>
        _firstType is null ? [] : _moreTypes is null ? [_firstType] : _moreTypes.Take(_typeCount - 1).Prepend(_firstType);

    public void AddRegion(Region region, long count)
    {
        if (_regionCount == 0 || _region == region)
        {
            _region = region;
            _regionCount += count;
            return;
        }

        for (var i = 0; i < _moreRegionCount; i++)
        {
            if (_moreRegions![i].Region == region)
            {
                _moreRegions[i].Count += count;
                return;
            }
        }

        _moreRegions ??= new (Region, long)[1];
        if (_moreRegionCount == _moreRegions.Length)
        {
            Array.Resize(ref _moreRegions, _moreRegions.Length * 2);
        }

        _moreRegions[_moreRegionCount++] = (region, count);
    }

    // Counts a protected resource: the second distinct one takes the requester's set shared by the report's workers
    // (sets), which every later one goes to.
    public void AddProtected(ulong resourceHash, string? type, SharedResourceSets sets)
    {
        if (ProtectedResources is { } resources)
        {
            lock (resources)
            {
                resources.Add(resourceHash);
            }
        }
        else if (!_hasFirstResource)
        {
            _firstResource = resourceHash;
            _hasFirstResource = true;
        }
        else if (resourceHash != _firstResource)
        {
            var shared = sets.For(Id);
            lock (shared)
            {
                shared.Add(_firstResource);
                shared.Add(resourceHash);
            }

            ProtectedResources = shared;
        }

        if (type is not null)
        {
            AddType(type);
        }
    }

    private void AddType(string type)
    {
        if (_firstType is null)
        {
            _firstType = type;
            _typeCount = 1;
            return;
        }

        if (ReferenceEquals(_firstType, type))
        {
            return;
        }

        for (var i = 0; i < _typeCount - 1; i++)
        {
            if (ReferenceEquals(_moreTypes![i], type))
            {
                return;
            }
        }

        if (string.Equals(_firstType, type, StringComparison.Ordinal))
        {
            return;
        }

        for (var i = 0; i < _typeCount - 1; i++)
        {
            if (string.Equals(_moreTypes![i], type, StringComparison.Ordinal))
            {
                return;
            }
        }

        _moreTypes ??= new string[2];
        if (_typeCount - 1 == _moreTypes.Length)
        {
            Array.Resize(ref _moreTypes, _moreTypes.Length * 2);
        }

        _moreTypes[_typeCount - 1] = type;
        _typeCount++;
    }

    // The region seen most often; ties go to the first in Region's order (by code, unknown last).
    public Region MostFrequentRegion()
    {
        var best = _regionCount > 0 ? _region : Region.Unknown;
        var bestCount = _regionCount > 0 ? _regionCount : -1L;
        for (var i = 0; i < _moreRegionCount; i++)
        {
            var (region, count) = _moreRegions![i];
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
        if (other._regionCount > 0)
        {
            AddRegion(other._region, other._regionCount);
        }

        for (var i = 0; i < other._moreRegionCount; i++)
        {
            AddRegion(other._moreRegions![i].Region, other._moreRegions[i].Count);
        }

        MergeResources(other);
        foreach (var type in other.ResourceTypes)
        {
            AddType(type);
        }
    }

    // The union of both requesters' distinct resources, each held as nothing, one value or a set (shared or not).
    private void MergeResources(RequesterTally other)
    {
        var mine = ProtectedResources;
        var theirs = other.ProtectedResources;
        if (theirs is not null && !ReferenceEquals(mine, theirs))
        {
            if (mine is null)
            {
                if (_hasFirstResource)
                {
                    theirs.Add(_firstResource);
                }

                ProtectedResources = theirs;
            }
            else
            {
                // Merge the smaller set into the larger: fewer inserts and no growth of the larger one's array.
                var (larger, smaller) = mine.Count >= theirs.Count ? (mine, theirs) : (theirs, mine);
                larger.UnionWith(smaller);
                ProtectedResources = larger;
            }
        }
        else if (theirs is null && other._hasFirstResource)
        {
            if (mine is not null)
            {
                mine.Add(other._firstResource);
            }
            else if (!_hasFirstResource)
            {
                _firstResource = other._firstResource;
                _hasFirstResource = true;
            }
            else if (_firstResource != other._firstResource)
            {
                var set = new HashSet64();
                set.Add(_firstResource);
                set.Add(other._firstResource);
                ProtectedResources = set;
            }
        }
    }

    public void Add(AccessOutcome outcome, bool crossBorder, long subjects, Region region)
    {
        Counts.Add(outcome, crossBorder);
        Subjects += subjects;
        AddRegion(region, 1);
    }
}
