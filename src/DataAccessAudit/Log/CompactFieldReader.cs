using System.Buffers;
using System.Runtime.CompilerServices;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Log;

// Reads the members the chain needs from a line in the compact form the writer writes (no whitespace, member names
// without escapes, integers as plain digits), validating the whole line as JSON on the way, in one pass over its
// bytes: what LogFormat.TryReadFields does with Utf8JsonReader, at a fraction of its cost per line, because the
// verifier does it for every line. Most of a line is strings: in a line without escapes or control characters every
// quote starts or ends one, so one vectorised pass maps the quotes of the whole line and each string's end is a bit
// search away; a line with escapes has each string scanned for them. It only ever accepts a line Utf8JsonReader accepts too, with the same fields; it
// declines (false) whatever it is not sure of (whitespace, an escaped name, a member only a header or log record
// carries, a number that is not a plain integer where one is read, nesting deeper than MaxDepth, a line that does
// not end where its object does), and TryReadFields then reads the line with Utf8JsonReader, so the answer for
// every line is the reader's.
internal static class CompactFieldReader
{
    // Utf8JsonReader's limit is 64; deeper lines are left to it.
    private const int MaxDepth = 32;

    // What ends a run of plain string bytes: its closing quote, an escape, or a control character, which JSON does
    // not allow in a string.
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\"u8);

    // An escape or a control character: a line without any has every quote a string's start or end.
    private static readonly SearchValues<byte> EscapeOrControl = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\\"u8);

    // True: the line is one JSON object (ending at its last byte) and fields holds what TryReadFields would give.
    // False: not decided here. This and the methods it calls for every line are compiled optimised at once: a
    // verification lasts seconds, and tiered compilation would run its first hundreds of thousands of lines through
    // unoptimised and instrumented code first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ReadOnlySpan<byte> line, out LogLineFields fields)
    {
        fields = default;
        if (line.Length < 2 || line[0] != (byte)'{' || line[1] != (byte)'"')
        {
            return false;
        }

        // In a line with no escape and no control character (the writer's, for text without escaped characters)
        // a string ends at the next quote, so the quotes are found for the whole line at once, in the same pass that
        // looks for escapes.
        var mapped = line.Length <= QuoteMap.MaxLength && QuoteMap.IsAccelerated;
        Span<ulong> quotes = mapped ? stackalloc ulong[QuoteMap.WordsFor(line.Length)] : default;
        var plain = mapped ? QuoteMap.TryMap(line, quotes) : line.IndexOfAny(EscapeOrControl) < 0;
        if (!plain)
        {
            quotes = default;
        }

        return TryReadObject(line, quotes, plain, ref fields);
    }

    private enum Read
    {
        Skipped,
        Schema,
        Seq,
        Time,
        Declined,
    }

    // The members TryReadFields reads. Those only headers and log records carry are left to it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Read Member(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 => name.SequenceEqual("seq"u8) ? Read.Seq : name.SequenceEqual("alg"u8) ? Read.Declined : Read.Skipped,
        4 => name.SequenceEqual("time"u8) ? Read.Time : name.SequenceEqual("type"u8) ? Read.Declined : Read.Skipped,
        5 => name.SequenceEqual("keyId"u8) ? Read.Declined : Read.Skipped,
        6 => name.SequenceEqual("schema"u8) ? Read.Schema : Read.Skipped,
        7 => name.SequenceEqual("segment"u8) || name.SequenceEqual("prevSeq"u8) || name.SequenceEqual("upToSeq"u8) ||
            name.SequenceEqual("created"u8) || name.SequenceEqual("dropped"u8) ? Read.Declined : Read.Skipped,
        9 => name.SequenceEqual("prevChain"u8) || name.SequenceEqual("upToChain"u8) ? Read.Declined : Read.Skipped,
        _ => Read.Skipped,
    };

    private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

    // The line's object, walked in one loop: a value at a time, the open objects and arrays kept as one bit a level
    // (set: an object), so that nesting costs no call. Each step leaves at just past what it read and fails (false)
    // on a byte it does not expect, including the end of the line; the object must end at the line's last byte.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryReadObject(ReadOnlySpan<byte> line, ReadOnlySpan<ulong> quotes, bool plain, ref LogLineFields fields)
    {
        var at = 1;
        var depth = 1;
        var objects = 1UL;

    Member:
        // "name":value, at the name's opening quote; a top-level name without escapes.
        if (at >= line.Length || line[at] != (byte)'"')
        {
            return false;
        }

        var nameStart = at + 1;
        var end = StringEnd(line, quotes, plain, nameStart, out var escaped);
        if (end < 0 || end + 2 >= line.Length || line[end + 1] != (byte)':')
        {
            return false;
        }

        at = end + 2;
        if (depth == 1)
        {
            if (escaped)
            {
                return false;
            }

            var first = line[at];
            switch (Member(line[nameStart..end]))
            {
                case Read.Schema when first == (byte)'"':
                    end = StringEnd(line, quotes, plain, at + 1, out escaped);
                    if (end < 0 || escaped)
                    {
                        return false;
                    }

                    var schema = line[(at + 1)..end];
                    fields.IsLogRecord = schema.SequenceEqual("access-log/1"u8);
                    fields.IsEvent = schema.SequenceEqual("access-event/1"u8);
                    at = end + 1;
                    goto AfterValue;

                case Read.Seq when first is (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                    if (!TryInteger(line, ref at, out var seq))
                    {
                        return false;
                    }

                    fields.Seq = seq;
                    goto AfterValue;

                case Read.Time when first == (byte)'"':
                    // An event's time is only checked to be UTF-8 (as GetString would); a record's is kept, which the
                    // reader does.
                    end = fields.IsEvent ? StringEnd(line, quotes, plain, at + 1, out escaped) : -1;
                    if (end < 0 || escaped || !System.Text.Unicode.Utf8.IsValid(line[(at + 1)..end]))
                    {
                        return false;
                    }

                    at = end + 1;
                    goto AfterValue;

                case Read.Declined:
                    return false;
            }
        }

    Value:
        if (at >= line.Length)
        {
            return false;
        }

        switch (line[at])
        {
            case (byte)'"':
                end = StringEnd(line, quotes, plain, at + 1, out _);
                if (end < 0)
                {
                    return false;
                }

                at = end + 1;
                break;

            case (byte)'{':
                if (++depth > MaxDepth)
                {
                    return false;
                }

                objects |= 1UL << (depth - 1);
                if (++at < line.Length && line[at] == (byte)'}')
                {
                    at++;
                    depth--;
                    break;
                }

                goto Member;

            case (byte)'[':
                if (++depth > MaxDepth)
                {
                    return false;
                }

                objects &= ~(1UL << (depth - 1));
                if (++at < line.Length && line[at] == (byte)']')
                {
                    at++;
                    depth--;
                    break;
                }

                goto Value;

            case (byte)'t':
                if (!TrySkipLiteral(line, ref at, "true"u8))
                {
                    return false;
                }

                break;

            case (byte)'f':
                if (!TrySkipLiteral(line, ref at, "false"u8))
                {
                    return false;
                }

                break;

            case (byte)'n':
                if (!TrySkipLiteral(line, ref at, "null"u8))
                {
                    return false;
                }

                break;

            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                if (!TrySkipNumber(line, ref at))
                {
                    return false;
                }

                break;

            default:
                return false;
        }

    AfterValue:
        if (at >= line.Length)
        {
            return false;
        }

        var next = line[at++];
        var inObject = ((objects >> (depth - 1)) & 1) != 0;
        if (next == (byte)',')
        {
            if (inObject)
            {
                goto Member;
            }

            goto Value;
        }

        if (next != (inObject ? (byte)'}' : (byte)']'))
        {
            return false;
        }

        if (--depth == 0)
        {
            return at == line.Length;
        }

        goto AfterValue;
    }

    // The closing quote of a string whose bytes start at from, or -1 when it is not a JSON string. In a plain line (no
    // escape, no control character) that is the next quote, from the map when there is one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int StringEnd(ReadOnlySpan<byte> line, ReadOnlySpan<ulong> quotes, bool plain, int from, out bool escaped)
    {
        if (!plain)
        {
            return EndOfString(line, from, out escaped);
        }

        escaped = false;
        if (!quotes.IsEmpty)
        {
            return QuoteMap.Next(quotes, from);
        }

        var found = line[from..].IndexOf((byte)'"');
        return found < 0 ? -1 : from + found;
    }

    // The closing quote of a string whose bytes start at from, checking its escapes as JSON has them (\" \\ \/ \b \f
    // \n \r \t and \u with four hex digits) and that it holds no control character; like Utf8JsonReader, neither UTF-8
    // nor surrogate pairs are checked. -1 when it is not a JSON string.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EndOfString(ReadOnlySpan<byte> line, int from, out bool escaped)
    {
        escaped = false;
        var at = from;
        while (true)
        {
            var run = line[at..].IndexOfAny(StringStops);
            if (run < 0)
            {
                return -1;
            }

            at += run;
            var stop = line[at];
            if (stop == (byte)'"')
            {
                return at;
            }

            if (stop != (byte)'\\' || at + 1 >= line.Length)
            {
                return -1;
            }

            escaped = true;
            switch (line[at + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    at += 2;
                    break;
                case (byte)'u':
                    if (at + 6 > line.Length || !IsHex(line[at + 2]) || !IsHex(line[at + 3]) || !IsHex(line[at + 4]) || !IsHex(line[at + 5]))
                    {
                        return -1;
                    }

                    at += 6;
                    break;
                default:
                    return -1;
            }
        }
    }

    // An integer of at most 18 digits, as TryGetInt64 reads it (a JSON number without fraction or exponent).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryInteger(ReadOnlySpan<byte> line, ref int at, out long value)
    {
        value = 0;
        var negative = line[at] == (byte)'-';
        var start = negative ? at + 1 : at;
        var end = start;
        while (end < line.Length && line[end] - (uint)'0' <= 9)
        {
            value = (value * 10) + (line[end] - '0');
            end++;
        }

        var digits = end - start;
        if (digits == 0 || digits > 18 || (digits > 1 && line[start] == (byte)'0') ||
            (end < line.Length && line[end] is (byte)'.' or (byte)'e' or (byte)'E'))
        {
            return false;
        }

        value = negative ? -value : value;
        at = end;
        return true;
    }

    private static bool TrySkipLiteral(ReadOnlySpan<byte> line, ref int at, ReadOnlySpan<byte> literal)
    {
        if (!line[at..].StartsWith(literal))
        {
            return false;
        }

        at += literal.Length;
        return true;
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, the grammar of RFC 8259.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TrySkipNumber(ReadOnlySpan<byte> line, ref int at)
    {
        if (line[at] == (byte)'-')
        {
            at++;
        }

        if (at >= line.Length)
        {
            return false;
        }

        if (line[at] == (byte)'0')
        {
            at++;
        }
        else if (!SkipDigits(line, ref at))
        {
            return false;
        }

        if (at < line.Length && line[at] == (byte)'.')
        {
            at++;
            if (!SkipDigits(line, ref at))
            {
                return false;
            }
        }

        if (at < line.Length && line[at] is (byte)'e' or (byte)'E')
        {
            at++;
            if (at < line.Length && line[at] is (byte)'+' or (byte)'-')
            {
                at++;
            }

            if (!SkipDigits(line, ref at))
            {
                return false;
            }
        }

        return true;
    }

    // One or more digits.
    private static bool SkipDigits(ReadOnlySpan<byte> line, ref int at)
    {
        var start = at;
        while (at < line.Length && line[at] - (uint)'0' <= 9)
        {
            at++;
        }

        return at > start;
    }
}
