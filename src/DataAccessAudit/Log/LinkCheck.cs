namespace DataAccessAudit.Log;

// What a worker finds out about a block's lines: what each holds, and whether it follows the line before it in the
// segment, exactly as the scanner would accept it: a whole log line (a JSON object that ends in its chain value), a
// record and not a header, sequence number one more than the line before's (a header's prevSeq), and its link over the
// line before's chain value (when the segment's chain is checked). A removal record never "follows" here: the scanner
// checks it itself, because what it proves depends on where the log starts.
internal static class LinkCheck
{
    public static void Run(LogBlock block, ChainHasher? hasher)
    {
        // Three links' worth of bytes for the whole block (not stack memory: the line's prefix, a slice of the
        // block, is checked against them).
        var links = new byte[3 * ChainHasher.Size];
        var previous = links.AsSpan(0, ChainHasher.Size);
        var chain = links.AsSpan(ChainHasher.Size, ChainHasher.Size);
        var link = links.AsSpan(2 * ChainHasher.Size);
        var previousSeq = 0L;
        var previousHeld = block.ContextLength >= 0 &&
            TryChainPoint(block.Buffer.AsSpan(0, block.ContextLength), previous, out previousSeq);
        var lines = block.Lines.AsSpan(0, block.Count);
        for (var i = 0; i < lines.Length; i++)
        {
            ref var line = ref lines[i];
            var span = block.Buffer.AsSpan(line.Start, line.Length);
            ReadOnlySpan<byte> prefix = default;
            var whole = line.Terminated && line.DroppedLength == 0 && LogFormat.TrySplitChain(span, out prefix, chain);
            if (!LogFormat.TryReadFields(span, out var fields) || line.DroppedLength > 0)
            {
                line.Kind = LineKind.Other;
                line.Follows = false;
                previousHeld = false;
                continue;
            }

            line.Kind = LogScanner.KindOf(fields);
            line.Dropped = line.Kind == LineKind.Gap ? fields.Dropped ?? 0 : 0;
            line.Follows = previousHeld && whole && !fields.IsHeader && fields.Seq == previousSeq + 1 &&
                !(fields.IsLogRecord && fields.Type == "removal") &&
                (hasher is null || Links(hasher, previous, prefix, chain, link));

            var seq = fields.IsHeader ? fields.PrevSeq : fields.Seq;
            previousHeld = whole && seq is not null;
            previousSeq = seq ?? 0;
            chain.CopyTo(previous);
        }
    }

    private static bool Links(ChainHasher hasher, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> chain, Span<byte> link)
    {
        hasher.LinkPrefix(previous, prefix, link);
        return link.SequenceEqual(chain);
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
