using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
// on the peak of a ten-million-event report. A finalizer frees the last table; the sets live as long as the report's
// builder, so nothing is gained by disposing them earlier.
//
// Zero marks an empty slot; the value zero is stored as one, which merges two of 2^64 hash values (no effect on a
// count at the collision rates that matter here). The hash is fixed, so ids crafted to collide could make inserts slow
// (never wrong); an audit log is written by the audited systems, not by the public.
internal sealed class HashSet64
{
    private const int InitialCapacity = 8;

    private nint _address;
    private int _length;
    private int _count;
    private int _growAt;

    public HashSet64()
    {
        _address = Allocate(InitialCapacity);
        _length = InitialCapacity;
        _growAt = MaxCount(InitialCapacity);
    }

    ~HashSet64()
    {
        Free(_address, _length);
    }

    public int Count => _count;

    // The slots the set holds now, for tests of the growth policy.
    internal int Capacity => _length;

    private Span<ulong> Slots => SlotsAt(_address, _length);

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
    }

    public bool Contains(ulong value)
    {
        if (value == 0)
        {
            value = 1;
        }

        var found = Find(Slots, value);

        // The span points into memory the finalizer frees: keep this set reachable until it is no longer read.
        GC.KeepAlive(this);
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

        GC.KeepAlive(other);
    }

    // Seven eighths of the slots; a table always keeps at least one empty slot so a probe ends.
    private static int MaxCount(int length) => Math.Min(length - 1, (int)((long)length * 7 / 8));

    // The values are already well-mixed hashes: their high 32 bits scaled to the length pick the home slot.
    private static int Home(ulong value, int length) => (int)(((value >> 32) * (ulong)(uint)length) >> 32);

    private static nint Allocate(int length)
    {
        var bytes = (long)length * sizeof(ulong);
        var address = Marshal.AllocHGlobal((nint)bytes);
        SlotsAt(address, length).Clear();

        // Tell the collector what a set holds outside its heap, so that a process building reports one after another
        // collects (and so finalizes) the sets of finished reports as if they were managed arrays.
        GC.AddMemoryPressure(bytes);
        return address;
    }

    private static void Free(nint address, int length)
    {
        Marshal.FreeHGlobal(address);
        GC.RemoveMemoryPressure((long)length * sizeof(ulong));
    }

    private static Span<ulong> SlotsAt(nint address, int length) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, ulong>(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<byte>(), address)), length);

    private static bool Find(Span<ulong> slots, ulong value)
    {
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

    private static bool Insert(Span<ulong> slots, ulong value)
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
        var length = _length + Math.Max(_length / 2, InitialCapacity);
        var address = Allocate(length);
        var larger = SlotsAt(address, length);
        foreach (var value in Slots)
        {
            if (value != 0)
            {
                Insert(larger, value);
            }
        }

        var (outgrown, outgrownLength) = (_address, _length);
        _address = address;
        _length = length;
        _growAt = MaxCount(length);
        Free(outgrown, outgrownLength);
    }
}
