namespace DataAccessAudit.Reporting.Aggregation;

// A set of 64-bit hashes in one array with linear probing: 8 bytes a slot, at most three quarters full, so 11 to 21
// bytes per distinct value against about 20 to 40 for HashSet<ulong> (which keeps a hash code, a link and a bucket
// per entry). This set is the one part of a report that grows with the data (distinct protected resources per
// requester), so its size decides the report's peak memory. Zero marks an empty slot; the value zero is stored as
// one, which merges two of 2^64 hash values (no effect on a count at the collision rates that matter here). The
// hash is fixed, so ids crafted to collide in their low bits could make inserts slow (never wrong); an audit log is
// written by the audited systems, not by the public.
internal sealed class HashSet64
{
    private const int InitialCapacity = 8;

    private ulong[] _slots = new ulong[InitialCapacity];
    private int _count;

    public int Count => _count;

    public void Add(ulong value)
    {
        if (value == 0)
        {
            value = 1;
        }

        if ((_count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }

        if (Insert(_slots, value))
        {
            _count++;
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

    private static bool Insert(ulong[] slots, ulong value)
    {
        var mask = slots.Length - 1;

        // The values are already well-mixed hashes: their low bits are as good an index as any.
        var index = (int)value & mask;
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

            index = (index + 1) & mask;
        }
    }

    private void Grow()
    {
        var larger = new ulong[_slots.Length * 2];
        foreach (var value in _slots)
        {
            if (value != 0)
            {
                Insert(larger, value);
            }
        }

        _slots = larger;
    }
}
