namespace DataAccessAudit.Reporting.Aggregation;

// A set of 64-bit hashes in one table with linear probing. This set is the one part of a report that grows with the
// data (distinct protected resources per requester), so its bytes per value decide the report's peak memory: 8 bytes a
// slot, filled up to seven eighths and grown by half (not doubled), so between 58 % and 87.5 % full, 9 to 14 bytes per
// distinct value (HashSet<ulong> takes about 20 to 40: a hash code, a link and a bucket per entry), and growing holds
// the old table beside one only 1.5 times its size. The table length is therefore not a power of two: the slot comes
// from the value's high bits scaled to the length (multiply and shift), which is as cheap as a mask. Linear probing
// at seven eighths full means long runs on a miss, but they are consecutive slots (eight to a cache line), so an
// insert still costs about one cache miss.
//
// The table lives in native memory, freed the moment it is outgrown: as managed arrays, every outgrown table was
// large-object-heap garbage that stayed resident until the next full collection, which put tens of megabytes of slack
// on the peak of a ten-million-event report. The table is a SafeHandle (SlotTable): the report's builder disposes
// the sets when it is disposed, and the handle's critical finalizer frees the table of a set that never was; a table
// whose allocation failed owns nothing, so its finalizer has nothing to free and nothing to throw.
//
// Zero marks an empty slot; the value zero is stored as one, which merges two of 2^64 hash values (no effect on a
// count at the collision rates that matter here). The hash is fixed, so ids crafted to collide could make inserts slow
// (never wrong); an audit log is written by the audited systems, not by the public.
internal sealed class HashSet64 : IDisposable
{
    private const int InitialCapacity = 8;

    private SlotTable _table;
    private int _count;
    private int _growAt;

    public HashSet64()
    {
        _table = SlotTable.Allocate(InitialCapacity);
        _growAt = MaxCount(InitialCapacity);
    }

    public int Count => _count;

    // The slots the set holds now, for tests of the growth policy.
    internal int Capacity => _table.Length;

    // The table in use, for tests of its release.
    internal SlotTable Table => _table;

    // The span points into memory the table's finalizer frees: readers keep _table reachable (GC.KeepAlive) until done.
    private Span<ulong> Slots =>
        _table.IsClosed ? throw new ObjectDisposedException(nameof(HashSet64), "The report builder that owns this set was disposed.") : _table.Slots;

    public void Dispose() => _table.Dispose();

    public void Add(ulong value)
    {
        if (value == 0)
        {
            value = 1;
        }

        if (_count >= _growAt)
        {
            Grow();
        }

        if (Insert(Slots, value))
        {
            _count++;
        }

        GC.KeepAlive(_table);
    }

    public bool Contains(ulong value)
    {
        if (value == 0)
        {
            value = 1;
        }

        var found = Find(Slots, value);
        GC.KeepAlive(_table);
        return found;
    }

    public void UnionWith(HashSet64 other)
    {
        ArgumentNullException.ThrowIfNull(other);

        // A set holds itself already; and adding to it while reading it would free the table being read on growth.
        if (ReferenceEquals(other, this))
        {
            return;
        }

        foreach (var value in other.Slots)
        {
            if (value != 0)
            {
                Add(value);
            }
        }

        GC.KeepAlive(other._table);
    }

    // Seven eighths of the slots; a table always keeps at least one empty slot so a probe ends.
    private static int MaxCount(int length) => Math.Min(length - 1, (int)((long)length * 7 / 8));

    // The values are already well-mixed hashes: their high 32 bits scaled to the length pick the home slot.
    private static int Home(ulong value, int length) => (int)(((value >> 32) * (ulong)(uint)length) >> 32);

    private static bool Find(Span<ulong> slots, ulong value) => slots[Probe(slots, value)] == value;

    private static bool Insert(Span<ulong> slots, ulong value)
    {
        ref var slot = ref slots[Probe(slots, value)];
        if (slot == value)
        {
            return false;
        }

        slot = value;
        return true;
    }

    // Linear probing from the value's home slot: the slot that holds the value, or the empty one where it belongs.
    private static int Probe(Span<ulong> slots, ulong value)
    {
        var index = Home(value, slots.Length);
        while (true)
        {
            var slot = slots[index];
            if (slot == value || slot == 0)
            {
                return index;
            }

            if (++index == slots.Length)
            {
                index = 0;
            }
        }
    }

    private void Grow()
    {
        var length = _table.Length + Math.Max(_table.Length / 2, InitialCapacity);
        var larger = SlotTable.Allocate(length);
        var slots = larger.Slots;
        foreach (var value in Slots)
        {
            if (value != 0)
            {
                Insert(slots, value);
            }
        }

        var outgrown = _table;
        _table = larger;
        _growAt = MaxCount(length);
        outgrown.Dispose();
    }
}
