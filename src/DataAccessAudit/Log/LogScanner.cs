using System.Globalization;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Log;

// Walks a log directory once, in constant memory, verifying sequence and chain line by line, and hands each
// line to the caller (the verifier counts, the reader parses events). Finds the first break and classifies it,
// looking ahead a few lines (with a second reader) only when a line does not follow.
internal sealed class LogScanner : IDisposable
{
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, byte[]>? _keys;
    private readonly Dictionary<string, ChainHasher> _keyed = new(StringComparer.Ordinal);
    private readonly ChainHasher _unkeyed = ChainHasher.Unkeyed();
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
        for (var index = 0; index < segments.Count; index++)
        {
            var (number, path) = segments[index];
            Segments++;
            using var reader = new SegmentLineReader(path);
            long line = 0;
            while (reader.TryRead(out var start, out var length, out var terminated))
            {
                cancellationToken.ThrowIfCancellationRequested();
                line++;
                if (!terminated && Break is null && index == segments.Count - 1 && WriterLock.IsHeld(_directory))
                {
                    // The writer is appending this line right now: it is in progress, not cut off.
                    InProgressBytes = length;
                    break;
                }

                if (reader.DroppedLength > 0)
                {
                    // Its bytes were never held, so it can neither be verified nor counted.
                    SetBreak(LogBreakKind.Modified, path, line, LineBuffer.TooLong(reader.DroppedLength));
                    if (stopAtBreak)
                    {
                        yield break;
                    }

                    continue;
                }

                item.Set(path, line, reader.Buffer, start, length);
                var verifying = Break is null;
                var kind = verifying
                    ? Verify(item, line == 1, number, terminated, segments, index, reader.Offset)
                    : Classify(item.Span);
                if (Break is not null && stopAtBreak)
                {
                    yield break;
                }

                if (verifying && Break is not null)
                {
                    // The line where the break is seen is still read: a report shows it, unverified.
                    kind = Classify(item.Span);
                }

                if (kind != LineKind.Other)
                {
                    item.Kind = kind;
                    item.Verified = verifying && Break is null;
                    yield return item;
                }
            }

            if (line == 0 && Break is null && index == segments.Count - 1 && WriterLock.IsHeld(_directory))
            {
                // A segment the writer has just created and not yet given its header.
                continue;
            }

            if (line == 0 && Break is null)
            {
                SetBreak(LogBreakKind.Truncated, path, 1, "the segment file is empty");
                if (stopAtBreak)
                {
                    yield break;
                }
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
        _unkeyed.Dispose();
        foreach (var hasher in _keyed.Values)
        {
            hasher.Dispose();
        }
    }

    private static LineKind Classify(ReadOnlySpan<byte> line)
    {
        if (!LogFormat.TryReadFields(line, out var fields))
        {
            return LineKind.Other;
        }

        return KindOf(fields);
    }

    private static LineKind KindOf(in LogLineFields fields) =>
        fields.IsEvent ? LineKind.Event
        : !fields.IsLogRecord ? LineKind.Other
        : fields.Type == "gap" ? LineKind.Gap
        : fields.Type == "recovery" ? LineKind.Recovery
        : LineKind.Other;

    private LineKind Verify(ScannedLine item, bool isHeader, long number, bool terminated, List<(long Number, string Path)> segments, int index, long nextOffset)
    {
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

            ClassifyUnchecked(item, seq, expected, segments, index, nextOffset);
            return LineKind.Other;
        }

        Span<byte> link = stackalloc byte[ChainHasher.Size];
        _hasher!.LinkPrefix(_prev, prefix, link);
        if (seq == expected && link.SequenceEqual(chain))
        {
            Accept(seq, chain, fields);
            return KindOf(fields);
        }

        ClassifyBreak(item, seq, expected, prefix, chain, segments, index, nextOffset);
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

    private void ClassifyUnchecked(ScannedLine item, long seq, long expected, List<(long Number, string Path)> segments, int index, long nextOffset)
    {
        if (seq < expected)
        {
            SetBreak(LogBreakKind.Inserted, item.Path, item.Line, string.Create(CultureInfo.InvariantCulture, $"sequence {seq} appears again after {expected - 1}: a line was repeated or added"));
        }
        else if (SequenceAppearsLater(segments, index, nextOffset, expected))
        {
            SetBreak(LogBreakKind.Reordered, item.Path, item.Line, string.Create(CultureInfo.InvariantCulture, $"sequence {seq} comes before {expected}, which appears later: lines were moved"));
        }
        else
        {
            SetBreak(LogBreakKind.Deleted, item.Path, item.Line, string.Create(CultureInfo.InvariantCulture, $"sequence jumps from {expected - 1} to {seq}: records {expected} to {seq - 1} are missing"));
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
                if (!_keyed.TryGetValue(fields.KeyId!, out var hasher))
                {
                    hasher = ChainHasher.Keyed(fields.KeyId!, key);
                    _keyed.Add(fields.KeyId!, hasher);
                }

                _hasher = hasher;
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

            _hasher = _unkeyed;
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
            if (keyed && LinksUnkeyed(prevChain, prefix, chain))
            {
                SetBreak(LogBreakKind.ForgedWithoutKey, path, 1, "the header's chain value is plain SHA-256, not the HMAC of its key: recomputed without the key");
                return;
            }

            // An edited header leaves the records after it linking to its chain value; a key that is not the one the
            // segment was written with links nothing.
            chain.CopyTo(_prev);
            var recordsLink = keyed && NextLineFollows(path, nextOffset, prevSeq + 1, out _);
            prevChain.CopyTo(_prev);
            SetBreak(keyed && !recordsLink ? LogBreakKind.WrongKey : LogBreakKind.Modified, path, 1, keyed && !recordsLink
                ? $"the key for id \"{fields.KeyId}\" does not match this log (wrong key, or the header was forged)"
                : "the header's chain value does not match its content");
            return;
        }

        chain.CopyTo(_prev);
    }

    private bool LinksUnkeyed(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> chain)
    {
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        _unkeyed.LinkPrefix(previous, prefix, link);
        return link.SequenceEqual(chain);
    }

    // Decides what kind of break a line that does not follow is, from the line itself and the next two lines.
    private void ClassifyBreak(ScannedLine item, long seq, long expected, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> chain, List<(long Number, string Path)> segments, int index, long nextOffset)
    {
        var path = item.Path;
        var at = item.Line;
        var next = NextLineFollows(segments[index].Path, nextOffset, expected, out var nextChain);
        if (seq == expected)
        {
            if (_hasher!.KeyId is not null && LinksUnkeyed(_prev, prefix, chain))
            {
                SetBreak(LogBreakKind.ForgedWithoutKey, path, at, "the chain value is plain SHA-256, not the HMAC of the segment's key: the chain was recomputed without the key");
            }
            else if (next)
            {
                SetBreak(LogBreakKind.Inserted, path, at, "this line was not written here: the next line follows the one before it");
            }
            else
            {
                SetBreak(LogBreakKind.Modified, path, at, "the line's content does not match its chain value");
            }

            return;
        }

        if (next)
        {
            // The next line is the one expected here; if this line in turn follows it, the two were swapped.
            Span<byte> link = stackalloc byte[ChainHasher.Size];
            _hasher!.LinkPrefix(nextChain, prefix, link);
            if (seq == expected + 1 && link.SequenceEqual(chain))
            {
                SetBreak(LogBreakKind.Reordered, path, at, string.Create(CultureInfo.InvariantCulture, $"sequence {seq} comes before {expected}: lines were swapped"));
            }
            else
            {
                SetBreak(LogBreakKind.Inserted, path, at, "this line was not written here: the next line follows the one before it");
            }

            return;
        }

        if (seq > expected)
        {
            // A changed sequence number: the line verifies once its number is put back.
            Span<byte> restored = stackalloc byte[prefix.Length + 24];
            Span<byte> link = stackalloc byte[ChainHasher.Size];
            if (LogFormat.TryWithSeq(prefix, expected, restored, out var written))
            {
                _hasher!.LinkPrefix(_prev, restored[..written], link);
                if (link.SequenceEqual(chain))
                {
                    SetBreak(LogBreakKind.Modified, path, at, string.Create(CultureInfo.InvariantCulture, $"the line's sequence number was changed from {expected} to {seq}"));
                    return;
                }
            }

            if (SequenceAppearsLater(segments, index, nextOffset, expected))
            {
                SetBreak(LogBreakKind.Reordered, path, at, string.Create(CultureInfo.InvariantCulture, $"sequence {seq} comes before {expected}, which appears later: lines were moved"));
            }
            else
            {
                SetBreak(LogBreakKind.Deleted, path, at, string.Create(CultureInfo.InvariantCulture, $"sequence jumps from {expected - 1} to {seq}: records {expected} to {seq - 1} are missing"));
            }

            return;
        }

        SetBreak(LogBreakKind.Inserted, path, at, string.Create(CultureInfo.InvariantCulture, $"sequence {seq} appears again after {expected - 1}: a line was repeated or added"));
    }

    // True when the line after this one has the expected sequence number and links to the last verified line.
    private bool NextLineFollows(string path, long offset, long expected, out byte[] chainOut)
    {
        chainOut = new byte[ChainHasher.Size];
        using var reader = new SegmentLineReader(path, offset);
        if (!reader.TryRead(out var start, out var length, out var terminated) || !terminated)
        {
            return false;
        }

        var line = reader.Buffer.AsSpan(start, length);
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        if (!LogFormat.TrySplitChain(line, out var prefix, chainOut) || !LogFormat.TryReadFields(line, out var fields) || fields.Seq != expected)
        {
            return false;
        }

        _hasher!.LinkPrefix(_prev, prefix, link);
        return link.SequenceEqual(chainOut);
    }

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

    private void SetBreak(LogBreakKind kind, string path, long line, string message) =>
        Break ??= new LogBreak(kind, path, line, _lastSeq + 1, message);
}

internal enum LineKind
{
    Other,
    Event,
    Gap,
    Recovery,
}

// One line handed out by the scanner; reused, valid until the next line.
internal sealed class ScannedLine
{
    private byte[] _buffer = [];
    private int _start;
    private int _length;

    public string Path { get; private set; } = string.Empty;

    public long Line { get; private set; }

    public LineKind Kind { get; set; }

    public bool Verified { get; set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _length);

    public void Set(string path, long line, byte[] buffer, int start, int length)
    {
        Path = path;
        Line = line;
        _buffer = buffer;
        _start = start;
        _length = length;
    }
}
