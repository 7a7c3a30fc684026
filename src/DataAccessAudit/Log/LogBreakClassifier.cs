using System.Globalization;

namespace DataAccessAudit.Log;

// Says what kind of break a line that does not follow the one before it is: from the line itself and, only then,
// the lines after it, read with a reader of its own (the walk that found the line keeps its place). Runs at most
// once per scan, on the first break; the walk over the intact lines never calls it.
internal sealed class LogBreakClassifier : IDisposable
{
    private readonly ChainHasher _unkeyed = ChainHasher.Unkeyed();

    public void Dispose() => _unkeyed.Dispose();

    // Whether the chain value is plain SHA-256 over the line: recomputed by someone without the key.
    public bool LinksUnkeyed(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> chain)
    {
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        _unkeyed.LinkPrefix(previous, prefix, link);
        return link.SequenceEqual(chain);
    }

    // A record whose chain was checked: seq and chain are the line's, previous the last verified link, expected
    // the sequence number that should have come; nextOffset is where the line after it starts in the segment.
    public (LogBreakKind Kind, string Message) Classify(
        ChainHasher hasher,
        ReadOnlySpan<byte> previous,
        long seq,
        long expected,
        ReadOnlySpan<byte> prefix,
        ReadOnlySpan<byte> chain,
        List<(long Number, string Path)> segments,
        int index,
        long nextOffset)
    {
        Span<byte> nextChain = stackalloc byte[ChainHasher.Size];
        var next = NextLineFollows(hasher, previous, segments[index].Path, nextOffset, expected, nextChain);
        if (seq == expected)
        {
            return hasher.KeyId is not null && LinksUnkeyed(previous, prefix, chain)
                ? (LogBreakKind.ForgedWithoutKey, "the chain value is plain SHA-256, not the HMAC of the segment's key: the chain was recomputed without the key")
                : next
                    ? (LogBreakKind.Inserted, "this line was not written here: the next line follows the one before it")
                    : (LogBreakKind.Modified, "the line's content does not match its chain value");
        }

        Span<byte> link = stackalloc byte[ChainHasher.Size];
        if (next)
        {
            // The next line is the one expected here; if this line in turn follows it, the two were swapped.
            hasher.LinkPrefix(nextChain, prefix, link);
            return seq == expected + 1 && link.SequenceEqual(chain)
                ? (LogBreakKind.Reordered, string.Create(CultureInfo.InvariantCulture, $"sequence {seq} comes before {expected}: lines were swapped"))
                : (LogBreakKind.Inserted, "this line was not written here: the next line follows the one before it");
        }

        if (seq > expected)
        {
            // A changed sequence number: the line verifies once its number is put back.
            Span<byte> restored = stackalloc byte[prefix.Length + 24];
            if (LogFormat.TryWithSeq(prefix, expected, restored, out var written))
            {
                hasher.LinkPrefix(previous, restored[..written], link);
                if (link.SequenceEqual(chain))
                {
                    return (LogBreakKind.Modified, string.Create(CultureInfo.InvariantCulture, $"the line's sequence number was changed from {expected} to {seq}"));
                }
            }

            return Jump(seq, expected, segments, index, nextOffset);
        }

        return Repeated(seq, expected);
    }

    // A record of a segment whose key was not given: only its sequence number can be judged.
    public static (LogBreakKind Kind, string Message) ClassifyUnchecked(long seq, long expected, List<(long Number, string Path)> segments, int index, long nextOffset) =>
        seq < expected ? Repeated(seq, expected) : Jump(seq, expected, segments, index, nextOffset);

    // True when the line at offset has the expected sequence number and links to previous; its chain value goes to
    // nextChain.
    public static bool NextLineFollows(ChainHasher hasher, ReadOnlySpan<byte> previous, string path, long offset, long expected, Span<byte> nextChain)
    {
        using var reader = new SegmentLineReader(path, offset);
        if (!reader.TryRead(out var start, out var length, out var terminated) || !terminated)
        {
            return false;
        }

        var line = reader.Buffer.AsSpan(start, length);
        if (!LogFormat.TrySplitChain(line, out var prefix, nextChain) || !LogFormat.TryReadFields(line, out var fields) || fields.Seq != expected)
        {
            return false;
        }

        Span<byte> link = stackalloc byte[ChainHasher.Size];
        hasher.LinkPrefix(previous, prefix, link);
        return link.SequenceEqual(nextChain);
    }

    private static (LogBreakKind Kind, string Message) Repeated(long seq, long expected) =>
        (LogBreakKind.Inserted, string.Create(CultureInfo.InvariantCulture, $"sequence {seq} appears again after {expected - 1}: a line was repeated or added"));

    private static (LogBreakKind Kind, string Message) Jump(long seq, long expected, List<(long Number, string Path)> segments, int index, long nextOffset) =>
        SequenceAppearsLater(segments, index, nextOffset, expected)
            ? (LogBreakKind.Reordered, string.Create(CultureInfo.InvariantCulture, $"sequence {seq} comes before {expected}, which appears later: lines were moved"))
            : (LogBreakKind.Deleted, string.Create(CultureInfo.InvariantCulture, $"sequence jumps from {expected - 1} to {seq}: records {expected} to {seq - 1} are missing"));

    private static bool SequenceAppearsLater(List<(long Number, string Path)> segments, int index, long offset, long seq)
    {
        for (var i = index; i < segments.Count; i++)
        {
            using var reader = new SegmentLineReader(segments[i].Path, i == index ? offset : 0);
            while (reader.TryRead(out var start, out var length, out _))
            {
                if (LogFormat.TryReadFields(reader.Buffer.AsSpan(start, length), out var fields) && !fields.IsHeader && fields.Seq == seq)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
