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

    /// <summary>Gets a value indicating whether this reader has tallied rows of <paramref name="shape"/> in any region.</summary>
    public bool Holds(EntityShape shape)
    {
        if (_tallies is not null)
        {
            foreach (var key in _tallies.Keys)
            {
                if (ReferenceEquals(key.Shape, shape))
                {
                    return true;
                }
            }
        }

        return false;
    }

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
