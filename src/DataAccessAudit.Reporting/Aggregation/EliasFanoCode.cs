using System.Numerics;

namespace DataAccessAudit.Reporting.Aggregation;

// Distinct 64-bit values in ascending order, Elias–Fano coded: each value's low bits packed side by side, and its high
// bits as one set bit a value in a bit array (value i's bit at its high part plus i). For n values spread over the
// whole 64-bit range that is 64 - log2(n) + 2 to 3 bits a value: about 7 bytes a value for a thousand values and under
// 6 for a million, against the 8 bytes of the value itself, and it is read back in order one word at a time. HashSet64 keeps its distinct
// values this way. The code lives in one SlotTable: the low bits' words, then the high bits' words.
//
// The number of high bits is fixed by the capacity a code is made for (at least the number of values written), so a
// merge can write its values before knowing how many repeats it drops.
internal static class EliasFanoCode
{
    // The high and low bit counts for a code of up to capacity values: 2^high is between capacity and twice it, so
    // the high parts' bit array is at most three bits a value.
    public static (int High, int Low) BitsFor(int capacity)
    {
        var high = 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(capacity, 1));
        return (high, 64 - high);
    }

    // The words a code of up to capacity values takes: the low bits' words, then the high bits'.
    public static (int LowWords, int Words) WordsFor(int capacity)
    {
        var (high, low) = BitsFor(capacity);
        var lowWords = (((long)capacity * low) + 63) / 64;
        var highWords = ((long)capacity + (1L << high) + 63) / 64;
        var words = lowWords + highWords;
        return words > Array.MaxLength
            ? throw new InvalidOperationException($"A set of {capacity} distinct values is more than one table can hold.")
            : ((int)lowWords, (int)words);
    }

    // Writes values in ascending order, each once, into a zeroed table made for capacity values.
    public ref struct Writer(Span<ulong> words, int capacity)
    {
        private readonly Span<ulong> _words = words;
        private readonly int _lowBits = BitsFor(capacity).Low;
        private readonly int _lowWords = WordsFor(capacity).LowWords;

        public int Count { get; private set; }

        public void Write(ulong value)
        {
            var i = Count++;
            var position = (value >> _lowBits) + (ulong)i;
            _words[_lowWords + (int)(position >> 6)] |= 1UL << (int)(position & 63);

            var low = value & ((1UL << _lowBits) - 1);
            var bit = (long)i * _lowBits;
            var word = (int)(bit >> 6);
            var offset = (int)(bit & 63);
            _words[word] |= low << offset;
            if (offset + _lowBits > 64)
            {
                _words[word + 1] |= low >> (64 - offset);
            }
        }
    }

    // Reads the count values of a code made for capacity values, in ascending order.
    public ref struct Reader(ReadOnlySpan<ulong> words, int count, int capacity)
    {
        private readonly ReadOnlySpan<ulong> _words = words;
        private readonly int _count = count;
        private readonly int _lowBits = BitsFor(capacity).Low;
        private readonly int _lowWords = WordsFor(capacity).LowWords;
        private int _index;
        private int _highWord = -1;
        private ulong _bits;

        public bool TryRead(out ulong value)
        {
            if (_index == _count)
            {
                value = 0;
                return false;
            }

            while (_bits == 0)
            {
                _bits = _words[_lowWords + ++_highWord];
            }

            var position = ((long)_highWord << 6) + BitOperations.TrailingZeroCount(_bits);
            _bits &= _bits - 1;
            var high = (ulong)(position - _index);

            var bit = (long)_index * _lowBits;
            var word = (int)(bit >> 6);
            var offset = (int)(bit & 63);
            var low = _words[word] >> offset;
            if (offset + _lowBits > 64)
            {
                low |= _words[word + 1] << (64 - offset);
            }

            _index++;
            value = (high << _lowBits) | (low & ((1UL << _lowBits) - 1));
            return true;
        }
    }
}
