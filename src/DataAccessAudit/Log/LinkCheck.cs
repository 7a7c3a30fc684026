using System.Runtime.CompilerServices;

namespace DataAccessAudit.Log;

// What a worker finds out about a block's lines: what each holds, and whether it follows the line before it in the
// segment, exactly as the scanner would accept it: a whole log line (a JSON object that ends in its chain value), a
// record and not a header, sequence number one more than the line before's (a header's prevSeq), and its link over the
// line before's chain value (when the segment's chain is checked). A removal record never "follows" here: the scanner
// checks it itself, because what it proves depends on where the log starts.
internal static class LinkCheck
{
    // Called once a block, so it is compiled fully optimised at once: tiered compilation would run its loop in
    // unoptimised code for each of the first blocks.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(LogBlock block, ChainHasher? hasher)
    {
        // The links' worth of bytes for the whole block (not stack memory: the line's prefix, a slice of the block,
        // is checked against them): the line before's chain value, the link computed, and that link in hex.
        var links = new byte[4 * ChainHasher.Size];
        var previous = links.AsSpan(0, ChainHasher.Size);
        var link = links.AsSpan(ChainHasher.Size, ChainHasher.Size);
        var linkHex = links.AsSpan(2 * ChainHasher.Size);
        var previousSeq = 0L;
        var previousHeld = block.ContextLength >= 0 &&
            TryChainPoint(block.Context, previous, out previousSeq);
        var lines = block.Lines.AsSpan(0, block.Count);
        for (var i = 0; i < lines.Length; i++)
        {
            ref var line = ref lines[i];
            var span = block.Buffer.AsSpan(line.Start, line.Length);
            ReadOnlySpan<byte> prefix = default;
            ReadOnlySpan<byte> hex = default;
            var shaped = line.Terminated && line.DroppedLength == 0 && LogFormat.TrySplitChainHex(span, out prefix, out hex);
            if (!LogFormat.TryReadFields(span, out var fields) || line.DroppedLength > 0)
            {
                line.Kind = LineKind.Other;
                line.Follows = false;
                previousHeld = false;
                continue;
            }

            line.Kind = LogScanner.KindOf(fields);
            line.Dropped = line.Kind == LineKind.Gap ? fields.Dropped ?? 0 : 0;
            var candidate = previousHeld && shaped && !fields.IsHeader && fields.Seq == previousSeq + 1 &&
                !(fields.IsLogRecord && fields.Type == "removal");

            // The chain value is compared in hex, as written: a link that equals it is the value this line hands on,
            // and only a line that does not link (or is not checked) has its digits decoded.
            bool whole;
            if (candidate && hasher is not null)
            {
                hasher.LinkPrefix(previous, prefix, link);
                LogFormat.EncodeHex(link, linkHex);
                line.Follows = linkHex.SequenceEqual(hex);
                whole = line.Follows ? link.TryCopyTo(previous) : LogFormat.TryDecodeHex(hex, previous);
            }
            else
            {
                whole = shaped && LogFormat.TryDecodeHex(hex, previous);
                line.Follows = candidate && whole;
            }

            var seq = fields.IsHeader ? fields.PrevSeq : fields.Seq;
            previousHeld = whole && seq is not null;
            previousSeq = seq ?? 0;
        }
    }

    // The sequence number and chain value a line hands to the line after it.
    private static bool TryChainPoint(ReadOnlySpan<byte> line, Span<byte> chain, out long seq)
    {
        seq = 0;
        if (!LogFormat.TrySplitChain(line, out _, chain) || !LogFormat.TryReadFields(line, out var fields) ||
            (fields.IsHeader ? fields.PrevSeq : fields.Seq) is not { } value)
        {
            return false;
        }

        seq = value;
        return true;
    }
}
