using System.Numerics;
using System.Runtime.InteropServices;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Recording;

// A bounded, preallocated ring of records: many producers, one consumer (Vyukov's bounded queue). Enqueueing
// is one compare-and-swap plus copying the record into its slot, with no allocation; each slot's sequence
// number says whether it is free, claimed or published.
internal sealed class RecordRing
{
    private readonly Slot[] _slots;
    private readonly long _mask;
    private Positions _positions;

    public RecordRing(int capacity)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2));
        _slots = new Slot[size];
        for (var i = 0; i < size; i++)
        {
            _slots[i].Sequence = i;
        }

        _mask = size - 1;
    }

    public int Capacity => _slots.Length;

    // How many records were ever claimed: the position the next record gets.
    public long Enqueued => Volatile.Read(ref _positions.Enqueue);

    // How many records the consumer has taken.
    public long Dequeued => Volatile.Read(ref _positions.Dequeue);

    public long Count => Math.Max(0, Enqueued - Dequeued);

    // Consumer only: whether the next record is published.
    public bool HasPublished
    {
        get
        {
            var position = _positions.Dequeue;
            return Volatile.Read(ref _slots[position & _mask].Sequence) == position + 1;
        }
    }

    public bool TryEnqueue(in AccessRecord record, out long position)
    {
        var slots = _slots;
        position = Volatile.Read(ref _positions.Enqueue);
        while (true)
        {
            ref var slot = ref slots[position & _mask];
            var difference = Volatile.Read(ref slot.Sequence) - position;
            if (difference == 0)
            {
                var observed = Interlocked.CompareExchange(ref _positions.Enqueue, position + 1, position);
                if (observed == position)
                {
                    slot.Record = record;
                    Volatile.Write(ref slot.Sequence, position + 1);
                    return true;
                }

                position = observed;
            }
            else if (difference < 0)
            {
                return false;
            }
            else
            {
                position = Volatile.Read(ref _positions.Enqueue);
            }
        }
    }

    // Consumer only: moves up to destination.Length published records out, freeing their slots.
    public int Dequeue(Span<AccessRecord> destination)
    {
        var position = _positions.Dequeue;
        var count = 0;
        while (count < destination.Length)
        {
            ref var slot = ref _slots[position & _mask];
            if (Volatile.Read(ref slot.Sequence) != position + 1)
            {
                break;
            }

            destination[count++] = slot.Record;
            slot.Record = default;
            Volatile.Write(ref slot.Sequence, position + _slots.Length);
            position++;
        }

        Volatile.Write(ref _positions.Dequeue, position);
        return count;
    }

    private struct Slot
    {
        public long Sequence;
        public AccessRecord Record;
    }

    // The two positions on cache lines of their own, so producers and the consumer do not slow each other down.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Positions
    {
        [FieldOffset(64)]
        public long Enqueue;

        [FieldOffset(192)]
        public long Dequeue;
    }
}
