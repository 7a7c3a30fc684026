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

        var cursor = new Cursor(line, quotes, plain);
        return cursor.TryReadObject(ref fields);
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

    // Where the reading is in the line. Every method leaves _at just past what it read, and fails (false) on a byte
    // it does not expect, including the end of the line.
    private ref struct Cursor
    {
        private readonly ReadOnlySpan<byte> _line;
        private readonly ReadOnlySpan<ulong> _quotes;
        private readonly bool _plain;
        private int _at;

        public Cursor(ReadOnlySpan<byte> line, ReadOnlySpan<ulong> quotes, bool plain)
        {
            _line = line;
            _quotes = quotes;
            _plain = plain;
        }

        // The top-level object, its members read into fields; it must end at the line's last byte.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryReadObject(ref LogLineFields fields)
        {
            _at = 1;
            while (true)
            {
                // A member: "name":value, the name without escapes.
                if (!TryString(out var name, out var escaped) || escaped || !TryTake((byte)':') || _at >= _line.Length)
                {
                    return false;
                }

                var first = _line[_at];
                switch (Member(name))
                {
                    case Read.Schema when first == (byte)'"':
                        if (!TryString(out var schema, out escaped) || escaped)
                        {
                            return false;
                        }

                        fields.IsLogRecord = schema.SequenceEqual("access-log/1"u8);
                        fields.IsEvent = schema.SequenceEqual("access-event/1"u8);
                        break;

                    case Read.Seq when first is (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                        if (!TryInteger(out var seq))
                        {
                            return false;
                        }

                        fields.Seq = seq;
                        break;

                    case Read.Time when first == (byte)'"':
                        // An event's time is only checked to be UTF-8 (as GetString would); a record's is kept,
                        // which the reader does.
                        if (!fields.IsEvent || !TryString(out var time, out escaped) || escaped || !System.Text.Unicode.Utf8.IsValid(time))
                        {
                            return false;
                        }

                        break;

                    case Read.Declined:
                        return false;

                    default:
                        if (!TrySkipValue(1))
                        {
                            return false;
                        }

                        break;
                }

                if (_at >= _line.Length)
                {
                    return false;
                }

                var next = _line[_at++];
                if (next == (byte)'}')
                {
                    return _at == _line.Length;
                }

                if (next != (byte)',' || _at >= _line.Length)
                {
                    return false;
                }
            }
        }

        private bool TryTake(byte expected)
        {
            if (_at >= _line.Length || _line[_at] != expected)
            {
                return false;
            }

            _at++;
            return true;
        }

        // A string (at its opening quote): its bytes between the quotes, and whether it holds an escape.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryString(out ReadOnlySpan<byte> value, out bool escaped)
        {
            value = default;
            escaped = false;
            if (_at >= _line.Length || _line[_at] != (byte)'"')
            {
                return false;
            }

            var start = _at + 1;
            var end = _plain ? NextQuote(start) : EndOfString(start, out escaped);
            if (end < 0)
            {
                return false;
            }

            value = _line[start..end];
            _at = end + 1;
            return true;
        }

        // The next quote at or after from, or -1.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly int NextQuote(int from)
        {
            if (_quotes.IsEmpty)
            {
                var found = _line[from..].IndexOf((byte)'"');
                return found < 0 ? -1 : from + found;
            }

            return QuoteMap.Next(_quotes, from);
        }

        // The closing quote of a string whose bytes start at from, checking its escapes as JSON has them
        // (\" \\ \/ \b \f \n \r \t and \u with four hex digits) and that it holds no control character; like
        // Utf8JsonReader, neither UTF-8 nor surrogate pairs are checked. -1 when it is not a JSON string.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly int EndOfString(int from, out bool escaped)
        {
            escaped = false;
            var at = from;
            while (true)
            {
                var run = _line[at..].IndexOfAny(StringStops);
                if (run < 0)
                {
                    return -1;
                }

                at += run;
                var stop = _line[at];
                if (stop == (byte)'"')
                {
                    return at;
                }

                if (stop != (byte)'\\' || at + 1 >= _line.Length)
                {
                    return -1;
                }

                escaped = true;
                switch (_line[at + 1])
                {
                    case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                        at += 2;
                        break;
                    case (byte)'u':
                        if (at + 6 > _line.Length || !IsHex(_line[at + 2]) || !IsHex(_line[at + 3]) || !IsHex(_line[at + 4]) || !IsHex(_line[at + 5]))
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
        private bool TryInteger(out long value)
        {
            value = 0;
            var negative = _line[_at] == (byte)'-';
            var start = negative ? _at + 1 : _at;
            var end = start;
            while (end < _line.Length && _line[end] - (uint)'0' <= 9)
            {
                value = (value * 10) + (_line[end] - '0');
                end++;
            }

            var digits = end - start;
            if (digits == 0 || digits > 18 || (digits > 1 && _line[start] == (byte)'0') ||
                (end < _line.Length && _line[end] is (byte)'.' or (byte)'e' or (byte)'E'))
            {
                return false;
            }

            value = negative ? -value : value;
            _at = end;
            return true;
        }

        // One JSON value, validated as Utf8JsonReader would, without whitespace.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TrySkipValue(int depth)
        {
            if (_at >= _line.Length)
            {
                return false;
            }

            switch (_line[_at])
            {
                case (byte)'"':
                    return TryString(out _, out _);
                case (byte)'{':
                    return TrySkipObject(depth + 1);
                case (byte)'[':
                    return TrySkipArray(depth + 1);
                case (byte)'t':
                    return TrySkipLiteral("true"u8);
                case (byte)'f':
                    return TrySkipLiteral("false"u8);
                case (byte)'n':
                    return TrySkipLiteral("null"u8);
                case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                    return TrySkipNumber();
                default:
                    return false;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TrySkipObject(int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            _at++;
            if (_at < _line.Length && _line[_at] == (byte)'}')
            {
                _at++;
                return true;
            }

            while (true)
            {
                if (!TryString(out _, out _) || !TryTake((byte)':') || !TrySkipValue(depth) || _at >= _line.Length)
                {
                    return false;
                }

                var next = _line[_at++];
                if (next == (byte)'}')
                {
                    return true;
                }

                if (next != (byte)',')
                {
                    return false;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TrySkipArray(int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            _at++;
            if (_at < _line.Length && _line[_at] == (byte)']')
            {
                _at++;
                return true;
            }

            while (true)
            {
                if (!TrySkipValue(depth) || _at >= _line.Length)
                {
                    return false;
                }

                var next = _line[_at++];
                if (next == (byte)']')
                {
                    return true;
                }

                if (next != (byte)',')
                {
                    return false;
                }
            }
        }

        private bool TrySkipLiteral(ReadOnlySpan<byte> literal)
        {
            if (!_line[_at..].StartsWith(literal))
            {
                return false;
            }

            _at += literal.Length;
            return true;
        }

        // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, the grammar of RFC 8259.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TrySkipNumber()
        {
            if (_line[_at] == (byte)'-')
            {
                _at++;
            }

            if (_at >= _line.Length)
            {
                return false;
            }

            if (_line[_at] == (byte)'0')
            {
                _at++;
            }
            else if (!SkipDigits())
            {
                return false;
            }

            if (_at < _line.Length && _line[_at] == (byte)'.')
            {
                _at++;
                if (!SkipDigits())
                {
                    return false;
                }
            }

            if (_at < _line.Length && _line[_at] is (byte)'e' or (byte)'E')
            {
                _at++;
                if (_at < _line.Length && _line[_at] is (byte)'+' or (byte)'-')
                {
                    _at++;
                }

                if (!SkipDigits())
                {
                    return false;
                }
            }

            return true;
        }

        // One or more digits.
        private bool SkipDigits()
        {
            var start = _at;
            while (_at < _line.Length && _line[_at] - (uint)'0' <= 9)
            {
                _at++;
            }

            return _at > start;
        }
    }
}
