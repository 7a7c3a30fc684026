using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DataAccessAudit.Interchange;

// The quotes of a JSON line as a bit a byte, for the readers that find a line's fields without a general JSON reader
// (the log verifier's CompactFieldReader, the report's AccessEventScanner). In a line with no escape and no control
// character every quote starts or ends a string, so one vectorised pass over the line finds where every string ends,
// and each end is then a bit search away instead of a scan of the string's bytes.
internal static class QuoteMap
{
    // The longest line a caller maps on the stack (a bit a byte: 2 KiB of stack).
    public const int MaxLength = 16 * 1024;

    // Whether mapping is worth doing here: without 256-bit vectors the pass is slower than searching each string.
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    // The number of ulongs a map of a line of this length takes.
    public static int WordsFor(int length) => (length + 63) / 64;

    // Sets bit i of quotes when line[i] is a quote (quotes holds WordsFor(line.Length) words); false when the line
    // holds an escape or a control character, and then the map is not to be used.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryMap(ReadOnlySpan<byte> line, Span<ulong> quotes)
    {
        var quote = Vector256.Create((byte)'"');
        var backslash = Vector256.Create((byte)'\\');
        var space = Vector256.Create((byte)' ');
        var stops = Vector256<byte>.Zero;
        var i = 0;
        for (; i + 64 <= line.Length; i += 64)
        {
            var low = Vector256.Create(line.Slice(i, 32));
            var high = Vector256.Create(line.Slice(i + 32, 32));
            stops |= Vector256.Equals(low, backslash) | Vector256.LessThan(low, space) |
                Vector256.Equals(high, backslash) | Vector256.LessThan(high, space);
            quotes[i >> 6] = Vector256.Equals(low, quote).ExtractMostSignificantBits() |
                ((ulong)Vector256.Equals(high, quote).ExtractMostSignificantBits() << 32);
        }

        if (stops != Vector256<byte>.Zero)
        {
            return false;
        }

        if (i < line.Length)
        {
            ulong last = 0;
            for (var j = i; j < line.Length; j++)
            {
                var c = line[j];
                if (c == (byte)'"')
                {
                    last |= 1UL << (j - i);
                }
                else if (c is (byte)'\\' or < (byte)' ')
                {
                    return false;
                }
            }

            quotes[i >> 6] = last;
        }

        return true;
    }

    // The position of the first quote at or after from, or -1. Inlined: a reader calls it for every string.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Next(ReadOnlySpan<ulong> quotes, int from)
    {
        var word = from >> 6;
        if (word >= quotes.Length)
        {
            return -1;
        }

        var bits = quotes[word] & (ulong.MaxValue << (from & 63));
        while (bits == 0)
        {
            if (++word >= quotes.Length)
            {
                return -1;
            }

            bits = quotes[word];
        }

        return (word << 6) + BitOperations.TrailingZeroCount(bits);
    }
}
