using System.Data.Common;
using DataAccessAudit.Regions;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// What one data reader of a context has materialised so far: a tally per classified entity shape and home region,
/// each recorded as one event when the reader closes.
/// </summary>
internal sealed class ReaderAccess(DbDataReader? reader)
{
    private Dictionary<(EntityShape Shape, Region Region), QueryAccess>? _tallies;

    /// <summary>Gets the reader, or null for rows materialised while no reader of the context was seen open.</summary>
    public DbDataReader? Reader { get; } = reader;

    public bool IsEmpty => _tallies is null || _tallies.Count == 0;

    public IEnumerable<KeyValuePair<(EntityShape Shape, Region Region), QueryAccess>> Tallies =>
        _tallies ?? (IEnumerable<KeyValuePair<(EntityShape, Region), QueryAccess>>)[];

    public bool TryGet(EntityShape shape, Region region, out QueryAccess access)
    {
        if (_tallies is null)
        {
            access = null!;
            return false;
        }

        return _tallies.TryGetValue((shape, region), out access!);
    }

    public void Add(EntityShape shape, Region region, QueryAccess access) => (_tallies ??= []).Add((shape, region), access);

    // The keys of the owner rows this reader has materialised, by owner shape: an owned row with one of them was read
    // with its owner's row and is counted with it; another owner's owned row read beside them is not.
    private Dictionary<EntityShape, HashSet<object>>? _ownerRows;

    public void HoldOwnerRow(EntityShape shape, object key)
    {
        _ownerRows ??= [];
        if (!_ownerRows.TryGetValue(shape, out var keys))
        {
            _ownerRows[shape] = keys = [];
        }

        keys.Add(key);
    }

    /// <summary>Gets a value indicating whether this reader has materialised the row of <paramref name="shape"/> with <paramref name="key"/>.</summary>
    public bool HoldsOwnerRow(EntityShape shape, object key) =>
        _ownerRows is not null && _ownerRows.TryGetValue(shape, out var keys) && keys.Contains(key);

    /// <summary>Takes over the tallies of a reader that served the same query, keeping the first event of each.</summary>
    public void Absorb(ReaderAccess other)
    {
        if (other._tallies is null)
        {
            return;
        }

        foreach (var (key, access) in other._tallies)
        {
            if (_tallies is not null && _tallies.TryGetValue(key, out var mine))
            {
                mine.Absorb(access);
            }
            else
            {
                (_tallies ??= []).Add(key, access);
            }
        }
    }
}
