namespace DataAccessAudit.Reporting.Aggregation;

// A set of 64-bit hashes in one array with linear probing. This set is the one part of a report that grows with the
// data (distinct protected resources per requester), so its bytes per value decide the report's peak memory: 8 bytes a
// slot, filled up to seven eighths and grown by half (not doubled), so between 58 % and 87.5 % full, 9 to 14 bytes per
// distinct value (HashSet<ulong> takes about 20 to 40: a hash code, a link and a bucket per entry), and growing holds
// the old array beside one only 1.5 times its size. The table length is therefore not a power of two: the slot comes
// from the value's high bits scaled to the length (multiply and shift), which is as cheap as a mask. Linear probing
// at seven eighths full means long runs on a miss, but they are consecutive slots (eight to a cache line), so an
// insert still costs about one cache miss. Zero marks an empty slot; the value zero is stored as one, which merges two
// of 2^64 hash values (no effect on a count at the collision rates that matter here). The hash is fixed, so ids crafted
// to collide could make inserts slow (never wrong); an audit log is written by the audited systems, not by the public.
internal sealed class HashSet64
{
    private const int InitialCapacity = 8;

    private ulong[] _slots = new ulong[InitialCapacity];
    private int _count;
    private int _growAt = MaxCount(InitialCapacity);

    public int Count => _count;

    // The slots the set holds now, for tests of the growth policy.
    internal int Capacity => _slots.Length;

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

        if (Insert(_slots, value))
        {
            _count++;
        }
    }

    public bool Contains(ulong value)
    {
        if (value == 0)
        {
            value = 1;
        }

        var slots = _slots;
        var index = Home(value, slots.Length);
        while (true)
        {
            var slot = slots[index];
            if (slot == value)
            {
                return true;
            }

            if (slot == 0)
            {
                return false;
            }

            if (++index == slots.Length)
            {
                index = 0;
            }
        }
    }

    public void UnionWith(HashSet64 other)
    {
        foreach (var value in other._slots)
        {
            if (value != 0)
            {
                Add(value);
            }
        }
    }

    // Seven eighths of the slots; a table always keeps at least one empty slot so a probe ends.
    private static int MaxCount(int length) => Math.Min(length - 1, (int)((long)length * 7 / 8));

    // The values are already well-mixed hashes: their high 32 bits scaled to the length pick the home slot.
    private static int Home(ulong value, int length) => (int)(((value >> 32) * (ulong)(uint)length) >> 32);

    private static bool Insert(ulong[] slots, ulong value)
    {
        var index = Home(value, slots.Length);
        while (true)
        {
            var slot = slots[index];
            if (slot == value)
            {
                return false;
            }

            if (slot == 0)
            {
                slots[index] = value;
                return true;
            }

            if (++index == slots.Length)
            {
                index = 0;
            }
        }
    }

    private void Grow()
    {
        var length = _slots.Length;
        var larger = new ulong[length + Math.Max(length / 2, InitialCapacity)];
        foreach (var value in _slots)
        {
            if (value != 0)
            {
                Insert(larger, value);
            }
        }

        _slots = larger;
        _growAt = MaxCount(larger.Length);
    }
}
