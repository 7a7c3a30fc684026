using System.Globalization;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Log;

// Walks a log directory once, in constant memory, verifying sequence and chain line by line, and hands each
// line to the caller (the verifier counts, the reader parses events). The links are checked ahead, on every core
// (LogReadAhead); the walk accepts each line a worker found to follow, and checks any other line itself, in file
// order, so the first break is the one a line-by-line walk finds. Classifying that break (LogBreakClassifier) looks
// ahead a few lines with a second reader, only when a line does not follow.
internal sealed class LogScanner : IDisposable
{
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, byte[]>? _keys;
    private readonly ChainHasherSet _hashers = new();
    private readonly LogBreakClassifier _classifier = new();
    private readonly byte[] _prev = new byte[ChainHasher.Size];
    private readonly byte[] _anchorChain = new byte[ChainHasher.Size];
    private readonly List<string> _uncheckedKeyIds = [];
    private ChainHasher? _hasher;
    private bool _checking;
    private bool _unkeyedSeen;
    private long _anchorSeq;
    private bool _anchorCovered;
    private bool _started;
    private long _lastSeq;

    // The last accepted line when a worker's check accepted it: its chain value is copied to _prev only when needed.
    private byte[]? _prevLine;
    private int _prevLineEnd;

    public LogScanner(string directory, IReadOnlyDictionary<string, byte[]>? keys)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The audit log directory '{directory}' does not exist.");
        }

        _directory = directory;
        _keys = keys is { Count: > 0 } ? keys : null;
    }

    public LogBreak? Break { get; private set; }

    public int Segments { get; private set; }

    public long Records { get; private set; }

    public long Events { get; private set; }

    public long FirstSequence { get; private set; }

    public long Dropped { get; private set; }

    public long InProgressBytes { get; private set; }

    public LogVerificationResult Result() => new(
        Break, Verdict(), _uncheckedKeyIds, Segments, Records, Events, FirstSequence, _lastSeq, LogFormat.ToHex(_prev), Dropped, _anchorCovered ? _anchorSeq : 0, InProgressBytes);

    // What was checked: a chain needs a key to be evidence against an editor, and a chain not checked is no evidence.
    private LogVerdict Verdict() =>
        Break is not null ? LogVerdict.Broken
        : Segments == 0 || _uncheckedKeyIds.Count > 0 ? LogVerdict.Unverified
        : _unkeyedSeen ? LogVerdict.VerifiedUnkeyed
        : LogVerdict.Verified;

    // Yields every line that holds a record (verified, or after the first break unverified); stops verifying at
    // the first break. When stopAtBreak, stops reading there too.
    public IEnumerable<ScannedLine> Scan(bool stopAtBreak, CancellationToken cancellationToken)
    {
        var item = new ScannedLine();
        var segments = LogFormat.ListSegments(_directory);
        using var ahead = new LogReadAhead(segments, _keys, cancellationToken);
        var index = -1;
        long line = 0;
        var inProgress = false;
        while (ahead.TryTake(out var block))
        {
            try
            {
                if (block.Segment != index)
                {
                    index = block.Segment;
                    Segments++;
                    line = 0;
                    inProgress = false;
                }

                var (number, path) = segments[index];
                for (var i = 0; i < block.Count && !inProgress; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    line++;
                    ref readonly var read = ref block.Lines[i];
                    if (!read.Terminated && Break is null && index == segments.Count - 1 && WriterLock.IsHeld(_directory))
                    {
                        // The writer is appending this line right now: it is in progress, not cut off.
                        InProgressBytes = read.Length;
                        inProgress = true;
                        break;
                    }

                    if (read.DroppedLength > 0)
                    {
                        // Its bytes were never held, so it can neither be verified nor counted.
                        SetBreak(LogBreakKind.Modified, path, line, LineBuffer.TooLong(read.DroppedLength));
                        if (stopAtBreak)
                        {
                            yield break;
                        }

                        continue;
                    }

                    item.Set(path, line, block.Buffer, read.Start, read.Length);
                    var verifying = Break is null;
                    LineKind kind;
                    if (verifying && read.Follows && line > 1)
                    {
                        AcceptChecked(read, block.Buffer);
                        kind = read.Kind;
                    }
                    else
                    {
                        kind = verifying
                            ? Verify(item, line == 1, number, read.Terminated, segments, index, read.NextOffset)
                            : read.Kind;
                    }

                    if (Break is not null && stopAtBreak)
                    {
                        yield break;
                    }

                    if (verifying && Break is not null)
                    {
                        // The line where the break is seen is still read: a report shows it, unverified.
                        kind = read.Kind;
                    }

                    if (kind != LineKind.Other)
                    {
                        item.Kind = kind;
                        item.Verified = verifying && Break is null;
                        yield return item;
                    }
                }

                if (block.EndOfSegment && line == 0 && Break is null && !(index == segments.Count - 1 && WriterLock.IsHeld(_directory)))
                {
                    SetBreak(LogBreakKind.Truncated, path, 1, "the segment file is empty");
                    if (stopAtBreak)
                    {
                        yield break;
                    }
                }
            }
            finally
            {
                HoldPrevious();
                ahead.Return(block);
            }
        }

        if (Break is null && _started && !_anchorCovered)
        {
            Break = new LogBreak(
                LogBreakKind.Deleted,
                segments[0].Path,
                1,
                1,
                string.Create(CultureInfo.InvariantCulture, $"the log starts after sequence {_anchorSeq}, but no removal record accounts for records 1 to {_anchorSeq}"));
        }
    }

    public void Dispose()
    {
        _hashers.Dispose();
        _classifier.Dispose();
    }

    internal static LineKind KindOf(in LogLineFields fields) =>
        fields.IsEvent ? LineKind.Event
        : !fields.IsLogRecord ? LineKind.Other
        : fields.Type == "gap" ? LineKind.Gap
        : fields.Type == "recovery" ? LineKind.Recovery
        : LineKind.Other;

    // A line a worker found to follow the last accepted one (so its sequence number is the next and its link holds).
    private void AcceptChecked(in BlockLine read, byte[] buffer)
    {
        _lastSeq++;
        Records++;
        if (FirstSequence == 0)
        {
            FirstSequence = _lastSeq;
        }

        if (read.Kind == LineKind.Event)
        {
            Events++;
        }
        else if (read.Kind == LineKind.Gap)
        {
            Dropped += read.Dropped;
        }

        _prevLine = buffer;
        _prevLineEnd = read.Start + read.Length;
    }

    // Makes _prev the chain value of the last accepted line, before its block's buffer is reused.
    private void HoldPrevious()
    {
        if (_prevLine is null)
        {
            return;
        }

        LogFormat.TryDecodeHex(_prevLine.AsSpan(_prevLineEnd - 66, 64), _prev);
        _prevLine = null;
    }

    private LineKind Verify(ScannedLine item, bool isHeader, long number, bool terminated, List<(long Number, string Path)> segments, int index, long nextOffset)
    {
        HoldPrevious();
        var line = item.Span;
        var path = item.Path;
        if (!terminated)
        {
            SetBreak(LogBreakKind.Truncated, path, item.Line, "the line has no line end: the log was cut off in the middle of a line");
            return LineKind.Other;
        }

        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        if (!LogFormat.TrySplitChain(line, out var prefix, chain) || !LogFormat.TryReadFields(line, out var fields))
        {
            SetBreak(LogBreakKind.Modified, path, item.Line, "the line is not a log line (JSON object ending in a \"chain\" member of 64 lower-case hex digits)");
            return LineKind.Other;
        }

        if (isHeader)
        {
            VerifyHeader(item, fields, prefix, chain, number, nextOffset);
            return LineKind.Other;
        }

        if (fields.IsHeader)
        {
            SetBreak(LogBreakKind.Inserted, path, item.Line, "a segment header in the middle of a segment");
            return LineKind.Other;
        }

        if (fields.Seq is not { } seq)
        {
            SetBreak(LogBreakKind.Modified, path, item.Line, "the line has no \"seq\" member");
            return LineKind.Other;
        }

        var expected = _lastSeq + 1;
        if (!_checking)
        {
            // The segment's key was not given: the sequence is still checked, the chain is not.
            if (seq == expected)
            {
                Accept(seq, chain, fields);
                return KindOf(fields);
            }

            var (kind, message) = LogBreakClassifier.ClassifyUnchecked(seq, expected, segments, index, nextOffset);
            SetBreak(kind, path, item.Line, message);
            return LineKind.Other;
        }

        Span<byte> link = stackalloc byte[ChainHasher.Size];
        _hasher!.LinkPrefix(_prev, prefix, link);
        if (seq == expected && link.SequenceEqual(chain))
        {
            Accept(seq, chain, fields);
            return KindOf(fields);
        }

        var (breakKind, breakMessage) = _classifier.Classify(_hasher!, _prev, seq, expected, prefix, chain, segments, index, nextOffset);
        SetBreak(breakKind, path, item.Line, breakMessage);
        return LineKind.Other;
    }

    private void Accept(long seq, ReadOnlySpan<byte> chain, in LogLineFields fields)
    {
        _lastSeq = seq;
        chain.CopyTo(_prev);
        Records++;
        if (FirstSequence == 0)
        {
            FirstSequence = seq;
        }

        if (fields.IsEvent)
        {
            Events++;
        }
        else if (fields.IsLogRecord && fields.Type == "gap")
        {
            Dropped += fields.Dropped ?? 0;
        }
        else if (fields.IsLogRecord && fields.Type == "removal" && fields.UpToSeq == _anchorSeq)
        {
            Span<byte> upTo = stackalloc byte[ChainHasher.Size];
            if (LogFormat.TryDecodeHex(fields.UpToChain, upTo) && upTo.SequenceEqual(_anchorChain))
            {
                _anchorCovered = true;
            }
        }
    }

    private void VerifyHeader(ScannedLine item, in LogLineFields fields, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> chain, long number, long nextOffset)
    {
        var path = item.Path;
        Span<byte> prevChain = stackalloc byte[ChainHasher.Size];
        if (!fields.IsHeader || fields.PrevSeq is not { } prevSeq || !LogFormat.TryDecodeHex(fields.PrevChain, prevChain))
        {
            SetBreak(LogBreakKind.Modified, path, 1, "the first line is not a segment header with \"prevSeq\" and \"prevChain\"");
            return;
        }

        if (fields.Segment != number)
        {
            SetBreak(LogBreakKind.Reordered, path, 1, string.Create(CultureInfo.InvariantCulture, $"the header names segment {fields.Segment}, but the file name says {number}: segment files were renamed or reordered"));
            return;
        }

        var keyed = fields.KeyId is not null;
        if (!string.Equals(fields.Alg, keyed ? "hmac-sha256" : "sha256", StringComparison.Ordinal))
        {
            SetBreak(LogBreakKind.Modified, path, 1, $"the header's \"alg\" is \"{fields.Alg}\", which does not match its key id");
            return;
        }

        if (keyed)
        {
            if (_keys is null || !_keys.TryGetValue(fields.KeyId!, out var key))
            {
                // Without the key only what needs none is checked: sequence numbers, segment order and headers.
                if (!_uncheckedKeyIds.Contains(fields.KeyId!))
                {
                    _uncheckedKeyIds.Add(fields.KeyId!);
                }

                _hasher = null;
                _checking = false;
            }
            else
            {
                _hasher = _hashers.For(new SegmentChain(fields.KeyId, key, Checked: true));
                _checking = true;
            }
        }
        else
        {
            if (_keys is not null)
            {
                SetBreak(LogBreakKind.ForgedWithoutKey, path, 1, "the segment is chained without a key, but the verifier was given keys: the chain may have been recomputed by someone without the key");
                return;
            }

            _hasher = _hashers.For(new SegmentChain(null, null, Checked: true));
            _checking = true;
            _unkeyedSeen = true;
        }

        if (!_started)
        {
            _started = true;
            _anchorSeq = prevSeq;
            prevChain.CopyTo(_anchorChain);
            _anchorCovered = prevSeq == 0 && !prevChain.ContainsAnyExcept((byte)0);
            _lastSeq = prevSeq;
            prevChain.CopyTo(_prev);
        }
        else if (prevSeq > _lastSeq)
        {
            SetBreak(LogBreakKind.Deleted, path, 1, string.Create(CultureInfo.InvariantCulture, $"the segment follows sequence {prevSeq}, but the log before it ends at {_lastSeq}: records {_lastSeq + 1} to {prevSeq} are missing"));
            return;
        }
        else if (prevSeq < _lastSeq)
        {
            SetBreak(LogBreakKind.Inserted, path, 1, string.Create(CultureInfo.InvariantCulture, $"the segment follows sequence {prevSeq}, but the segment before it ends at {_lastSeq}: records were added"));
            return;
        }
        else if (!prevChain.SequenceEqual(_prev))
        {
            SetBreak(LogBreakKind.Modified, path, 1, "the header's \"prevChain\" is not the final chain value of the segment before it");
            return;
        }

        if (!_checking)
        {
            chain.CopyTo(_prev);
            return;
        }

        Span<byte> link = stackalloc byte[ChainHasher.Size];
        _hasher!.LinkPrefix(prevChain, prefix, link);
        if (!link.SequenceEqual(chain))
        {
            if (keyed && _classifier.LinksUnkeyed(prevChain, prefix, chain))
            {
                SetBreak(LogBreakKind.ForgedWithoutKey, path, 1, "the header's chain value is plain SHA-256, not the HMAC of its key: recomputed without the key");
                return;
            }

            // An edited header leaves the records after it linking to its chain value; a key that is not the one the
            // segment was written with links nothing.
            Span<byte> nextChain = stackalloc byte[ChainHasher.Size];
            var recordsLink = keyed && LogBreakClassifier.NextLineFollows(_hasher!, chain, path, nextOffset, prevSeq + 1, nextChain);
            SetBreak(keyed && !recordsLink ? LogBreakKind.WrongKey : LogBreakKind.Modified, path, 1, keyed && !recordsLink
                ? $"the key for id \"{fields.KeyId}\" does not match this log (wrong key, or the header was forged)"
                : "the header's chain value does not match its content");
            return;
        }

        chain.CopyTo(_prev);
    }

    private void SetBreak(LogBreakKind kind, string path, long line, string message) =>
        Break ??= new LogBreak(kind, path, line, _lastSeq + 1, message);
}
