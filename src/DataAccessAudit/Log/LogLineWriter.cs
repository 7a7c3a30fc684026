using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Log;

// Formats log lines into one growable buffer and chains them: each line is a JSON object whose body is hashed
// with the previous link, then closed with the chain member and '\n'. One per writer; reused across batches.
internal sealed class LogLineWriter : IBufferWriter<byte>, IDisposable
{
    private static readonly InstantPattern TimePattern = InstantPattern.ExtendedIso;

    private readonly Utf8JsonWriter _json;
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;

    // Lines serialised by AppendEventBody and not yet sealed: where each starts and where its body ends.
    private int[] _pendingStarts = new int[256];
    private int[] _pendingBodyEnds = new int[256];
    private int _pending;

    public LogLineWriter()
    {
        // Every line is built by this class from valid parts: skipping the writer's structural checks is safe.
        _json = new Utf8JsonWriter(this, new JsonWriterOptions { SkipValidation = true });
    }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public int Length => _length;

    // How many accesses since Clear were too large for a line and were recorded as gaps instead.
    public int TooLarge { get; private set; }

    public void Clear()
    {
        _length = 0;
        _pending = 0;
        TooLarge = 0;
    }

    public void Dispose() => _json.Dispose();

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    // An access-event/1 object with seq and chain appended as its last members.
    public void AppendEvent(in AccessRecord record, long seq, ChainHasher hasher, Span<byte> chain)
    {
        var start = _length;
        WriteEventBody(record, seq, start);
        Seal(start, hasher, chain);
    }

    // The first half of AppendEvent, for the pipelined writer: serialises the event with its seq and leaves room
    // for the chain member, which SealPending fills in later (possibly on another thread, never concurrently).
    public void AppendEventBody(in AccessRecord record, long seq)
    {
        var start = _length;
        WriteEventBody(record, seq, start);
        if (_pending == _pendingStarts.Length)
        {
            Array.Resize(ref _pendingStarts, _pending * 2);
            Array.Resize(ref _pendingBodyEnds, _pending * 2);
        }

        _pendingStarts[_pending] = start;
        _pendingBodyEnds[_pending++] = _length;
        Ensure(LogFormat.ChainSuffixLength + 1);
        _length += LogFormat.ChainSuffixLength; // the body's '}' becomes the first byte of the chain member
    }

    // The second half: chains the lines AppendEventBody wrote, in order. chain holds the previous link on entry
    // and the last line's link on return.
    public void SealPending(ChainHasher hasher, Span<byte> chain)
    {
        for (var i = 0; i < _pending; i++)
        {
            var start = _pendingStarts[i];
            var bodyEnd = _pendingBodyEnds[i];
            hasher.Link(chain, _buffer.AsSpan(start, bodyEnd - start), chain);
            WriteChainMember(_buffer.AsSpan(bodyEnd - 1, LogFormat.ChainSuffixLength + 1), chain);
        }

        _pending = 0;
    }

    // The event's object with seq as its last member, up to its closing brace. An access whose line would be longer
    // than a reader holds (LineBuffer.MaxLineLength: a line of hundreds of thousands of subject keys) would be read back
    // as a break that hides every record after it; it is recorded as a gap of one dropped access at its time
    // instead, so the log stays readable and says what it lost.
    private void WriteEventBody(in AccessRecord record, long seq, int start)
    {
        _json.Reset(this);
        AccessEventLine.Write(_json, record);
        _json.Flush();
        _length--; // the closing brace: seq joins the object
        AppendSeqAndClose(seq);
        if (_length - start + LogFormat.ChainSuffixLength - 1 > LineBuffer.MaxLineLength)
        {
            _length = start;
            TooLarge++;
            var time = record.Event.Time;
            StartSystemRecord("gap"u8, time);
            _json.WriteNumber("dropped"u8, 1);
            _json.WriteString("since"u8, TimePattern.Format(time));
            _json.WriteString("reason"u8, GapRecord.TooLarge);
            _json.WriteEndObject();
            _json.Flush();
            _length--;
            AppendSeqAndClose(seq);
        }
    }

    public void AppendHeader(long segment, Instant created, string? keyId, long prevSeq, ReadOnlySpan<byte> prevChain, ChainHasher hasher, Span<byte> chain)
    {
        var start = _length;
        _json.Reset(this);
        _json.WriteStartObject();
        _json.WriteString("schema"u8, LogFormat.Schema);
        _json.WriteString("type"u8, "segment"u8);
        _json.WriteNumber("segment"u8, segment);
        _json.WriteString("created"u8, TimePattern.Format(created));
        _json.WriteString("alg"u8, keyId is null ? "sha256"u8 : "hmac-sha256"u8);
        if (keyId is null)
        {
            _json.WriteNull("keyId"u8);
        }
        else
        {
            _json.WriteString("keyId"u8, keyId);
        }

        _json.WriteNumber("prevSeq"u8, prevSeq);
        _json.WriteString("prevChain"u8, LogFormat.ToHex(prevChain));
        _json.WriteEndObject();
        _json.Flush();
        Seal(start, hasher, chain, previous: prevChain);
    }

    public void AppendGap(long seq, Instant time, long dropped, Instant since, ChainHasher hasher, Span<byte> chain)
    {
        var start = _length;
        StartSystemRecord("gap"u8, time);
        _json.WriteNumber("dropped"u8, dropped);
        _json.WriteString("since"u8, TimePattern.Format(since));
        _json.WriteString("reason"u8, GapRecord.QueueFull);
        EndSystemRecord(seq, start, hasher, chain);
    }

    public void AppendRemoval(long seq, Instant time, IReadOnlyList<string> segments, long upToSeq, ReadOnlySpan<byte> upToChain, ChainHasher hasher, Span<byte> chain)
    {
        var start = _length;
        StartSystemRecord("removal"u8, time);
        _json.WriteStartArray("segments"u8);
        foreach (var segment in segments)
        {
            _json.WriteStringValue(segment);
        }

        _json.WriteEndArray();
        _json.WriteNumber("upToSeq"u8, upToSeq);
        _json.WriteString("upToChain"u8, LogFormat.ToHex(upToChain));
        EndSystemRecord(seq, start, hasher, chain);
    }

    public void AppendRecovery(long seq, Instant time, string segment, long tornBytes, string movedTo, ChainHasher hasher, Span<byte> chain)
    {
        var start = _length;
        StartSystemRecord("recovery"u8, time);
        _json.WriteString("segment"u8, segment);
        _json.WriteNumber("tornBytes"u8, tornBytes);
        _json.WriteString("movedTo"u8, movedTo);
        EndSystemRecord(seq, start, hasher, chain);
    }

    private void StartSystemRecord(ReadOnlySpan<byte> type, Instant time)
    {
        _json.Reset(this);
        _json.WriteStartObject();
        _json.WriteString("schema"u8, LogFormat.Schema);
        _json.WriteString("type"u8, type);
        _json.WriteString("time"u8, TimePattern.Format(time));
    }

    private void EndSystemRecord(long seq, int start, ChainHasher hasher, Span<byte> chain)
    {
        _json.WriteEndObject();
        _json.Flush();
        _length--;
        AppendSeqAndClose(seq);
        Seal(start, hasher, chain);
    }

    private void AppendSeqAndClose(long seq)
    {
        var span = GetSpan(32);
        ",\"seq\":"u8.CopyTo(span);
        Utf8Formatter.TryFormat(seq, span[7..], out var digits);
        span[7 + digits] = (byte)'}';
        _length += 8 + digits;
    }

    // Hashes the body (from start to here, ending in '}') with the previous link, then replaces the closing
    // brace by the chain member. chain holds the previous link on entry and this line's link on return.
    private void Seal(int start, ChainHasher hasher, Span<byte> chain, ReadOnlySpan<byte> previous = default)
    {
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        hasher.Link(previous.IsEmpty ? chain : previous, _buffer.AsSpan(start, _length - start), link);
        link.CopyTo(chain);
        _length--;
        WriteChainMember(GetSpan(LogFormat.ChainSuffixLength + 1), link);
        _length += LogFormat.ChainSuffixLength + 1;
    }

    // ,"chain":"<hex>"}\n
    private static void WriteChainMember(Span<byte> span, ReadOnlySpan<byte> link)
    {
        LogFormat.ChainMemberStart.CopyTo(span);
        LogFormat.EncodeHex(link, span[10..]);
        span[74] = (byte)'"';
        span[75] = (byte)'}';
        span[76] = (byte)'\n';
    }

    private void Ensure(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 256);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}
