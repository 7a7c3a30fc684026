using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting.Aggregation;

// Everything counted for one requester id. A log can hold millions of requesters seen a handful of times each, so a
// tally's size is a report's size: the first region, the first protected resource type and the first distinct
// protected resource are held in fields, and everything past them (more regions, more types, the set of 64-bit hashes
// of distinct resources, see ResourceIdHash) in one more object made only when a second one appears. A requester
// seen once is then one object of 120 bytes and its id's string.
internal sealed class RequesterTally(string id)
{
    public OutcomeCounts Counts;

    public Int128 Subjects;

    // The first region the requester was seen from. Its count is not held: every event counts one region, so it is
    // the events less the other regions' counts.
    private Region _region;

    // The first distinct protected resource, until a second one makes the set.
    private ulong _firstResource;
    private bool _hasFirstResource;

    // The first distinct protected resource type; the others are in _more.
    private string? _firstType;

    // A built report reads a tally as its requester's row (RequesterRows) instead of copying it into a row object of
    // its own: the tally is frozen then, and a builder that goes on counting counts into a copy (Thaw), so the report
    // never changes.
    private bool _frozen;

    private RequesterTallyMore? _more;

    // The requester id, the one string of it that the report holds.
    public string Id { get; } = id;

    // The set of distinct protected resources, once there are two; null before.
    public HashSet64? ProtectedResources => _more?.Resources;

    public bool IsFrozen => _frozen;

    public long ProtectedResourceCount =>
        _more?.Resources is { } set ? (_frozen ? _more.ResourcesWhenFrozen : set.Count) : _hasFirstResource ? 1 : 0;

    public int ResourceTypeCount => _firstType is null ? 0 : 1 + (_more?.TypeCount ?? 0);

    public IEnumerable<string> ResourceTypes =>
        _firstType is null ? [] : _more?.Types is not { } types ? [_firstType] : types.Take(_more.TypeCount).Prepend(_firstType);

    // Makes the tally a row of a built report: nothing changes it afterwards. The count of distinct resources is kept
    // as it is now, since the set may be shared with a copy (or another worker) and go on growing.
    public void Freeze()
    {
        if (!_frozen && _more?.Resources is { } set)
        {
            _more.ResourcesWhenFrozen = set.Count;
        }

        _frozen = true;
    }

    // A tally that counts on from where this frozen one stands, to take its place in the builder. The set of distinct
    // resources is handed on (the frozen tally keeps only its count); the lists that counting changes are copied.
    public RequesterTally Thaw() => new(Id)
    {
        Counts = Counts,
        Subjects = Subjects,
        _region = _region,
        _firstResource = _firstResource,
        _hasFirstResource = _hasFirstResource,
        _firstType = _firstType,
        _more = _more?.Copy(),
    };

    // Adds the distinct protected resource types to a set, without the enumerator ResourceTypes would make for each of
    // millions of tallies.
    public void AddResourceTypesTo(HashSet<string> types)
    {
        if (_firstType is null)
        {
            return;
        }

        types.Add(_firstType);
        for (var i = 0; i < (_more?.TypeCount ?? 0); i++)
        {
            types.Add(_more!.Types![i]);
        }
    }

    public void Add(AccessOutcome outcome, bool crossBorder, long subjects, Region region)
    {
        if (Counts.Events == 0)
        {
            _region = region;
        }
        else
        {
            AddRegion(region, 1);
        }

        Counts.Add(outcome, crossBorder);
        Subjects += subjects;
    }

    // Counts a protected resource: the second distinct one takes the requester's set shared by the report's workers
    // (sets), which every later one goes to.
    public void AddProtected(ulong resourceHash, string? type, SharedResourceSets sets)
    {
        if (ProtectedResources is { } resources)
        {
            resources.Add(resourceHash);
        }
        else if (!_hasFirstResource)
        {
            _firstResource = resourceHash;
            _hasFirstResource = true;
        }
        else if (resourceHash != _firstResource)
        {
            var shared = sets.For(Id);
            shared.Add(_firstResource);
            shared.Add(resourceHash);

            More().Resources = shared;
        }

        if (type is not null)
        {
            AddType(type);
        }
    }

    // The region seen most often; ties go to the first in Region's order (by code, unknown last).
    public Region MostFrequentRegion()
    {
        if (Counts.Events == 0)
        {
            return Region.Unknown;
        }

        var best = _region;
        var bestCount = FirstRegionCount();
        for (var i = 0; i < (_more?.RegionCount ?? 0); i++)
        {
            var (region, count) = _more!.Regions![i];
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
        // The regions before the events: a tally without events takes the other's first region as its own.
        if (Counts.Events == 0)
        {
            _region = other._region;
        }
        else if (other.Counts.Events > 0)
        {
            AddRegion(other._region, other.FirstRegionCount());
        }

        for (var i = 0; i < (other._more?.RegionCount ?? 0); i++)
        {
            AddRegion(other._more!.Regions![i].Region, other._more.Regions[i].Count);
        }

        Counts.Add(other.Counts);
        Subjects += other.Subjects;
        MergeResources(other);
        if (other._firstType is not null)
        {
            AddType(other._firstType);
        }

        for (var i = 0; i < (other._more?.TypeCount ?? 0); i++)
        {
            AddType(other._more!.Types![i]);
        }
    }

    private long FirstRegionCount()
    {
        var count = Counts.Events;
        for (var i = 0; i < (_more?.RegionCount ?? 0); i++)
        {
            count -= _more!.Regions![i].Count;
        }

        return count;
    }

    // Notes events from a region of a tally that has a first region; the caller adds the events to Counts after. The
    // first region's count is implied.
    private void AddRegion(Region region, long count)
    {
        if (_region == region)
        {
            return;
        }

        var more = More();
        for (var i = 0; i < more.RegionCount; i++)
        {
            if (more.Regions![i].Region == region)
            {
                more.Regions[i].Count += count;
                return;
            }
        }

        more.Regions ??= new (Region, long)[1];
        if (more.RegionCount == more.Regions.Length)
        {
            Array.Resize(ref more.Regions, more.Regions.Length * 2);
        }

        more.Regions[more.RegionCount++] = (region, count);
    }

    // Distinct protected resource types: a requester reaches few, so a short list searched by reference (the fast
    // path hands the same string instances) beats hashing each type.
    private void AddType(string type)
    {
        if (_firstType is null)
        {
            _firstType = type;
            return;
        }

        if (ReferenceEquals(_firstType, type))
        {
            return;
        }

        var typeCount = _more?.TypeCount ?? 0;
        for (var i = 0; i < typeCount; i++)
        {
            if (ReferenceEquals(_more!.Types![i], type))
            {
                return;
            }
        }

        if (string.Equals(_firstType, type, StringComparison.Ordinal))
        {
            return;
        }

        for (var i = 0; i < typeCount; i++)
        {
            if (string.Equals(_more!.Types![i], type, StringComparison.Ordinal))
            {
                return;
            }
        }

        var more = More();
        more.Types ??= new string[2];
        if (more.TypeCount == more.Types.Length)
        {
            Array.Resize(ref more.Types, more.Types.Length * 2);
        }

        more.Types[more.TypeCount++] = type;
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

                More().Resources = theirs;
            }
            else
            {
                // Merge the smaller set into the larger: fewer inserts and no growth of the larger one's array.
                var (larger, smaller) = mine.Count >= theirs.Count ? (mine, theirs) : (theirs, mine);
                larger.UnionWith(smaller);
                More().Resources = larger;
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
                More().Resources = set;
            }
        }
    }

    private RequesterTallyMore More() => _more ??= new RequesterTallyMore();
}
