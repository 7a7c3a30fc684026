using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace DataAccessAudit.Log;

// The byte-level shape of the log, documented in docs/log-format.md: segment file names, the record types and
// the chain member that ends every line.
internal static class LogFormat
{
    public const string Schema = "access-log/1";
    public const string SegmentPrefix = "segment-";
    public const string SegmentExtension = ".jsonl";
    public const string TornInfix = ".torn-";
    public const int SegmentNumberDigits = 10;

    // Every line ends with ,"chain":"<64 lower-case hex digits>"} (76 bytes) before its '\n'.
    public const int ChainSuffixLength = 76;

    public static ReadOnlySpan<byte> ChainMemberStart => ",\"chain\":\""u8;

    public static ReadOnlySpan<byte> Genesis => new byte[ChainHasher.Size];

    public static string SegmentFileName(long number) =>
        SegmentPrefix + number.ToString("D" + SegmentNumberDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + SegmentExtension;

    public static bool TryParseSegmentFileName(string fileName, out long number)
    {
        number = 0;
        return fileName.StartsWith(SegmentPrefix, StringComparison.Ordinal) &&
            fileName.EndsWith(SegmentExtension, StringComparison.Ordinal) &&
            fileName.Length == SegmentPrefix.Length + SegmentNumberDigits + SegmentExtension.Length &&
            long.TryParse(fileName.AsSpan(SegmentPrefix.Length, SegmentNumberDigits), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    // The segment files of a log directory, in order.
    // Every entry named as a segment must be a regular file: a FIFO, device or directory under a segment's name stops
    // the listing with an IOException naming it, rather than hanging whoever opens it or being passed over as if the
    // segment were deleted. A directory that cannot be listed is an UnauthorizedAccessException or IOException naming it.
    public static List<(long Number, string Path)> ListSegments(string directory)
    {
        var segments = new List<(long Number, string Path)>();
        try
        {
            foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(directory, SegmentPrefix + "*" + SegmentExtension))
            {
                if (TryParseSegmentFileName(Path.GetFileName(path), out var number))
                {
                    segments.Add((number, path));
                }
            }
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new UnauthorizedAccessException($"The audit log directory '{directory}' cannot be listed: {exception.Message}", exception);
        }
        catch (IOException exception) when (exception is not DirectoryNotFoundException)
        {
            throw new IOException($"The audit log directory '{directory}' cannot be listed: {exception.Message}", exception);
        }

        foreach (var (_, path) in segments)
        {
            FileKind.ThrowIfNotRegular(path, "a log segment file");
        }

        segments.Sort((a, b) => a.Number.CompareTo(b.Number));
        return segments;
    }

    // Splits a line (without its '\n') into the part before the chain member and the chain value.
    public static bool TrySplitChain(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> prefix, Span<byte> chain)
    {
        if (!TrySplitChainHex(line, out prefix, out var hex) || !TryDecodeHex(hex, chain))
        {
            prefix = default;
            return false;
        }

        return true;
    }

    // The same without decoding the chain value: hex is its 64 digits as written, not yet checked to be lower-case
    // hex (a link computed and encoded that equals them is, so a line that links needs no decoding).
    public static bool TrySplitChainHex(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> prefix, out ReadOnlySpan<byte> hex)
    {
        prefix = default;
        hex = default;
        if (line.Length < ChainSuffixLength + 2 || line[0] != (byte)'{' || !line[^ChainSuffixLength..].StartsWith(ChainMemberStart) ||
            line[^2] != (byte)'"' || line[^1] != (byte)'}')
        {
            return false;
        }

        hex = line.Slice(line.Length - 66, 64);
        prefix = line[..^ChainSuffixLength];
        return true;
    }

    // Whether line, as the writer writes it, names seq as its last member before the chain (,"seq":N,"chain":"…"}):
    // a comparison of bytes, for a reader that knows which number to expect. False does not mean another number: a
    // line spaced or ordered otherwise is for TryReadFields to read.
    public static bool EndsWithSeq(ReadOnlySpan<byte> line, long seq)
    {
        Span<byte> digits = stackalloc byte[20];
        if (!TrySplitChainHex(line, out var prefix, out _) || !Utf8Formatter.TryFormat(seq, digits, out var length))
        {
            return false;
        }

        return prefix.EndsWith(digits[..length]) && prefix[..^length].EndsWith(",\"seq\":"u8);
    }

    public static void EncodeHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
#if NET10_0_OR_GREATER
        // Vectorised.
        if (Convert.TryToHexStringLower(bytes, destination, out _))
        {
            return;
        }
#endif
        var digits = "0123456789abcdef"u8;
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = digits[bytes[i] & 0xF];
        }
    }

    public static string ToHex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hex = stackalloc byte[bytes.Length * 2];
        EncodeHex(bytes, hex);
        return System.Text.Encoding.ASCII.GetString(hex);
    }

    // Lower-case only: the format has exactly one spelling of every chain value.
    public static bool TryDecodeHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
        {
            return false;
        }

#if NET10_0_OR_GREATER
        // Vectorised; it takes upper case too, which the format does not.
        return hex.IndexOfAnyInRange((byte)'A', (byte)'F') < 0 &&
            Convert.FromHexString(hex, destination, out _, out var written) == System.Buffers.OperationStatus.Done &&
            written == destination.Length;
#else
        for (var i = 0; i < destination.Length; i++)
        {
            var high = HexValue(hex[2 * i]);
            var low = HexValue(hex[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
#endif
    }

    public static bool TryDecodeHex(string? hex, Span<byte> destination) =>
        hex is not null && hex.Length == destination.Length * 2 && TryDecodeHex(System.Text.Encoding.ASCII.GetBytes(hex), destination);

#if !NET10_0_OR_GREATER
    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
#endif

    // Reads the top-level members the chain needs; nested objects are skipped. A line in the writer's compact form
    // is read in one pass by CompactFieldReader; any other (a header, a log record, a line that is not JSON) by
    // Utf8JsonReader, whose answer is the one for every line.
    public static bool TryReadFields(ReadOnlySpan<byte> line, out LogLineFields fields) =>
        CompactFieldReader.TryRead(line, out fields) || TryReadFieldsWithReader(line, out fields);

    // The same through Utf8JsonReader, for any line.
    internal static bool TryReadFieldsWithReader(ReadOnlySpan<byte> line, out LogLineFields fields)
    {
        fields = default;
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return reader.CurrentDepth == 0;
                }

                var name = reader.ValueSpan;
                var escaped = reader.ValueIsEscaped;
                reader.Read();
                if (escaped)
                {
                    reader.Skip();
                    continue;
                }

                if (name.SequenceEqual("schema"u8) && reader.TokenType == JsonTokenType.String)
                {
                    fields.IsLogRecord = reader.ValueTextEquals(Schema);
                    fields.IsEvent = reader.ValueTextEquals(Interchange.AccessEventJson.Schema);
                }
                else if (name.SequenceEqual("type"u8) && reader.TokenType == JsonTokenType.String)
                {
                    fields.Type = reader.GetString();
                }
                else if (name.SequenceEqual("seq"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seq))
                {
                    fields.Seq = seq;
                }
                else if (name.SequenceEqual("segment"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var segment))
                {
                    fields.Segment = segment;
                }
                else if (name.SequenceEqual("prevSeq"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var prevSeq))
                {
                    fields.PrevSeq = prevSeq;
                }
                else if (name.SequenceEqual("prevChain"u8) && reader.TokenType == JsonTokenType.String)
                {
                    fields.PrevChain = reader.GetString();
                }
                else if (name.SequenceEqual("upToSeq"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var upToSeq))
                {
                    fields.UpToSeq = upToSeq;
                }
                else if (name.SequenceEqual("upToChain"u8) && reader.TokenType == JsonTokenType.String)
                {
                    fields.UpToChain = reader.GetString();
                }
                else if (name.SequenceEqual("keyId"u8))
                {
                    fields.KeyId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (name.SequenceEqual("alg"u8) && reader.TokenType == JsonTokenType.String)
                {
                    fields.Alg = reader.GetString();
                }
                else if (name.SequenceEqual("created"u8) && reader.TokenType == JsonTokenType.String)
                {
                    fields.Created = reader.GetString();
                }
                else if (name.SequenceEqual("time"u8) && reader.TokenType == JsonTokenType.String)
                {
                    if (fields.IsEvent && !reader.ValueIsEscaped)
                    {
                        // Only records need their time here; an event's is validated as GetString would (its
                        // UTF-8), without a string for every line.
                        if (!System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        fields.Time = reader.GetString();
                    }
                }
                else if (name.SequenceEqual("dropped"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var dropped))
                {
                    fields.Dropped = dropped;
                }
                else if (name.SequenceEqual("reason"u8) && reader.TokenType == JsonTokenType.String)
                {
                    fields.Reason = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.Read does not validate a string's UTF-8 or its \u escapes; GetString does, and throws
            // this for invalid UTF-8 or a lone surrogate: such a line is not a log line either, not a crash.
            return false;
        }
    }

    // An event line's object up to its own last member, without the ,"seq":N,"chain":"<hex>"} the log appends to
    // every event (and without the closing brace): false when the line does not end that way. Only for a line already
    // read as a JSON object, in which the suffix's quotes can only be members' quotes.
    public static bool TryEventWithoutChainMembers(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> head)
    {
        head = default;
        if (!TrySplitChainHex(line, out var prefix, out _))
        {
            return false;
        }

        var at = prefix.LastIndexOf(",\"seq\":"u8);
        var digits = at < 0 ? default : prefix[(at + 7)..];
        if (at < 1 || digits.IsEmpty || digits.Length > 19 || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }

        head = line[..at];
        return true;
    }

    // Replaces the value of the final "seq" member of a record's prefix: used to tell a changed sequence number
    // from a deleted line.
    public static bool TryWithSeq(ReadOnlySpan<byte> prefix, long seq, Span<byte> destination, out int written)
    {
        written = 0;
        var at = prefix.LastIndexOf(",\"seq\":"u8);
        if (at < 0)
        {
            return false;
        }

        var head = prefix[..(at + 7)];
        if (destination.Length < head.Length + 20)
        {
            return false;
        }

        head.CopyTo(destination);
        if (!Utf8Formatter.TryFormat(seq, destination[head.Length..], out var digits))
        {
            return false;
        }

        written = head.Length + digits;
        return true;
    }
}

internal record struct LogLineFields
{
    public bool IsLogRecord;
    public bool IsEvent;
    public string? Type;
    public long? Seq;
    public long? Segment;
    public long? PrevSeq;
    public string? PrevChain;
    public long? UpToSeq;
    public string? UpToChain;
    public string? KeyId;
    public string? Alg;
    public string? Created;
    public string? Time;
    public long? Dropped;
    public string? Reason;

    public readonly bool IsHeader => IsLogRecord && Type == "segment";
}
