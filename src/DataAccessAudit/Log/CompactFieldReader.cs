using System.Buffers;
using System.Runtime.CompilerServices;

namespace DataAccessAudit.Log;

// Reads the members the chain needs from a line in the compact form the writer writes (no whitespace, member names
// without escapes, integers as plain digits), validating the whole line as JSON on the way, in one pass over its
// bytes: what LogFormat.TryReadFields does with Utf8JsonReader, at a fraction of its cost per line, because the
// verifier does it for every line. It only ever accepts a line Utf8JsonReader accepts too, with the same fields; it
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

    // True: the line is one JSON object (ending at its last byte) and fields holds what TryReadFields would give.
    // False: not decided here.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ReadOnlySpan<byte> line, out LogLineFields fields)
    {
        fields = default;
        if (line.Length < 2 || line[0] != (byte)'{' || line[1] != (byte)'"')
        {
            return false;
        }

        var i = 1;
        while (true)
        {
            // A member: "name":value, the name without escapes.
            if (line[i] != (byte)'"')
            {
                return false;
            }

            var nameStart = i + 1;
            var nameLength = line[nameStart..].IndexOfAny(StringStops);
            if (nameLength < 0 || line[nameStart + nameLength] != (byte)'"')
            {
                return false;
            }

            var name = line.Slice(nameStart, nameLength);
            i = nameStart + nameLength + 1;
            if (i + 1 >= line.Length || line[i] != (byte)':')
            {
                return false;
            }

            i++;
            switch (Member(name))
            {
                case Read.Schema when line[i] == (byte)'"':
                    if (!TryPlainString(line, ref i, out var schema))
                    {
                        return false;
                    }

                    fields.IsLogRecord = schema.SequenceEqual("access-log/1"u8);
                    fields.IsEvent = schema.SequenceEqual("access-event/1"u8);
                    break;

                case Read.Seq when line[i] is (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                    if (!TryInteger(line, ref i, out var seq))
                    {
                        return false;
                    }

                    fields.Seq = seq;
                    break;

                case Read.Time when line[i] == (byte)'"':
                    // An event's time is only checked to be UTF-8 (as GetString would); a record's is kept, which
                    // the reader does.
                    if (!fields.IsEvent || !TryPlainString(line, ref i, out var time) || !System.Text.Unicode.Utf8.IsValid(time))
                    {
                        return false;
                    }

                    break;

                case Read.Declined:
                    return false;

                default:
                    if (!TrySkipValue(line, ref i, 1))
                    {
                        return false;
                    }

                    break;
            }

            if (i >= line.Length)
            {
                return false;
            }

            if (line[i] == (byte)'}')
            {
                return i == line.Length - 1;
            }

            if (line[i] != (byte)',' || i + 1 >= line.Length)
            {
                return false;
            }

            i++;
        }
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

    // A string without escapes at line[i] (its opening quote); i moves past its closing quote.
    private static bool TryPlainString(ReadOnlySpan<byte> line, ref int i, out ReadOnlySpan<byte> value)
    {
        var start = i + 1;
        var length = line[start..].IndexOfAny(StringStops);
        value = default;
        if (length < 0 || line[start + length] != (byte)'"')
        {
            return false;
        }

        value = line.Slice(start, length);
        i = start + length + 1;
        return true;
    }

    // An integer of at most 18 digits, as TryGetInt64 reads it (a JSON number without fraction or exponent).
    private static bool TryInteger(ReadOnlySpan<byte> line, ref int i, out long value)
    {
        value = 0;
        var negative = line[i] == (byte)'-';
        var start = negative ? i + 1 : i;
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
        i = end;
        return true;
    }

    // Validates one JSON value at line[i] as Utf8JsonReader would, without whitespace; i moves past it.
    private static bool TrySkipValue(ReadOnlySpan<byte> line, ref int i, int depth)
    {
        switch (line[i])
        {
            case (byte)'"':
                return TrySkipString(line, ref i);
            case (byte)'{':
                return TrySkipObject(line, ref i, depth + 1);
            case (byte)'[':
                return TrySkipArray(line, ref i, depth + 1);
            case (byte)'t':
                return TrySkipLiteral(line, ref i, "true"u8);
            case (byte)'f':
                return TrySkipLiteral(line, ref i, "false"u8);
            case (byte)'n':
                return TrySkipLiteral(line, ref i, "null"u8);
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                return TrySkipNumber(line, ref i);
            default:
                return false;
        }
    }

    // A string at line[i] (its opening quote): any bytes but control characters, and escapes as JSON has them
    // (\" \\ \/ \b \f \n \r \t and \u with four hex digits); like Utf8JsonReader, neither UTF-8 nor surrogate pairs
    // are checked here.
    private static bool TrySkipString(ReadOnlySpan<byte> line, ref int i)
    {
        var at = i + 1;
        while (true)
        {
            var run = line[at..].IndexOfAny(StringStops);
            if (run < 0)
            {
                return false;
            }

            at += run;
            var stop = line[at];
            if (stop == (byte)'"')
            {
                i = at + 1;
                return true;
            }

            if (stop != (byte)'\\' || at + 1 >= line.Length)
            {
                return false;
            }

            switch (line[at + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    at += 2;
                    break;
                case (byte)'u':
                    if (at + 6 > line.Length || !IsHex(line[at + 2]) || !IsHex(line[at + 3]) || !IsHex(line[at + 4]) || !IsHex(line[at + 5]))
                    {
                        return false;
                    }

                    at += 6;
                    break;
                default:
                    return false;
            }
        }
    }

    private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

    private static bool TrySkipObject(ReadOnlySpan<byte> line, ref int i, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        i++;
        if (i < line.Length && line[i] == (byte)'}')
        {
            i++;
            return true;
        }

        while (true)
        {
            if (i >= line.Length || line[i] != (byte)'"' || !TrySkipString(line, ref i) ||
                i + 1 >= line.Length || line[i] != (byte)':')
            {
                return false;
            }

            i++;
            if (!TrySkipValue(line, ref i, depth) || i >= line.Length)
            {
                return false;
            }

            if (line[i] == (byte)'}')
            {
                i++;
                return true;
            }

            if (line[i] != (byte)',' || i + 1 >= line.Length)
            {
                return false;
            }

            i++;
        }
    }

    private static bool TrySkipArray(ReadOnlySpan<byte> line, ref int i, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        i++;
        if (i < line.Length && line[i] == (byte)']')
        {
            i++;
            return true;
        }

        while (true)
        {
            if (i >= line.Length || !TrySkipValue(line, ref i, depth) || i >= line.Length)
            {
                return false;
            }

            if (line[i] == (byte)']')
            {
                i++;
                return true;
            }

            if (line[i] != (byte)',' || i + 1 >= line.Length)
            {
                return false;
            }

            i++;
        }
    }

    private static bool TrySkipLiteral(ReadOnlySpan<byte> line, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!line[i..].StartsWith(literal))
        {
            return false;
        }

        i += literal.Length;
        return true;
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, the grammar of RFC 8259.
    private static bool TrySkipNumber(ReadOnlySpan<byte> line, ref int i)
    {
        var at = i;
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

        i = at;
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
