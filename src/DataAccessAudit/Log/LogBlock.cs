using System.Buffers;
using System.Runtime.ExceptionServices;

namespace DataAccessAudit.Log;

// Consecutive lines of one segment, read by the read-ahead, checked by a worker, then walked in file order by the
// scanner. Its buffer is the one the segment's bytes were read into (handed over whole, not copied line by line),
// pooled; the block object is reused once the scanner is done with it.
internal sealed class LogBlock
{
    // Bytes read at a time: a block holds the whole lines of one read.
    public const int Bytes = 1 << 20;

    private BlockLine[] _lines = new BlockLine[2048];
    private byte[] _context = new byte[1024];

    // The block's lines, line ends included; from ArrayPool<byte>.Shared, returned by ReturnBuffer.
    public byte[] Buffer { get; private set; } = [];

    public BlockLine[] Lines => _lines;

    public int Count { get; private set; }

    // The index of the block's segment in the segment list.
    public int Segment { get; set; }

    // Whether this is the last block of its segment.
    public bool EndOfSegment { get; set; }

    // How the segment's records are chained, from its header.
    public SegmentChain Chain { get; set; }

    // The line before the block's first line, in the same segment, copied: what the first line's link depends on.
    // -1 when there is none (the segment starts here, or that line was too long to keep).
    public int ContextLength { get; private set; } = -1;

    public ReadOnlySpan<byte> Context => ContextLength < 0 ? default : _context.AsSpan(0, ContextLength);

    // A failure to read the segment, rethrown where the scanner meets the block.
    public ExceptionDispatchInfo? Error { get; set; }

    public Task Checked { get; set; } = Task.CompletedTask;

    public ReadOnlySpan<byte> Line(int index) => Buffer.AsSpan(Lines[index].Start, Lines[index].Length);

    public void Reset(int segment, SegmentChain chain)
    {
        ReturnBuffer();
        Segment = segment;
        Chain = chain;
        Count = 0;
        ContextLength = -1;
        EndOfSegment = false;
        Error = null;
        Checked = Task.CompletedTask;
    }

    // Takes over a pooled buffer of lines read from the segment.
    public void Adopt(byte[] buffer)
    {
        ReturnBuffer();
        Buffer = buffer;
    }

    public void SetContext(ReadOnlySpan<byte> line)
    {
        if (_context.Length < line.Length)
        {
            _context = new byte[Math.Max(line.Length, _context.Length * 2)];
        }

        line.CopyTo(_context);
        ContextLength = line.Length;
    }

    public void Add(in BlockLine line)
    {
        if (Count == _lines.Length)
        {
            // Only short lines fill it: a block of real log lines holds about 1,400.
            Array.Resize(ref _lines, _lines.Length * 2);
        }

        _lines[Count++] = line;
    }

    public void ReturnBuffer()
    {
        if (Buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = [];
        }
    }
}

// One line of a block: where it is and what reading it gave (as LineBuffer reports it), then what the worker found.
internal struct BlockLine
{
    public int Start;
    public int Length;
    public bool Terminated;

    // For a line longer than LineBuffer.MaxLineLength: its length (its bytes were never held); otherwise 0.
    public long DroppedLength;

    // Where the next line starts in the segment file.
    public long NextOffset;

    // Set by the worker: what the line holds, whether it follows the line before it, and for a gap record how many
    // accesses it says were dropped.
    public LineKind Kind;
    public bool Follows;
    public long Dropped;
}

// How a segment's records are chained, as its header says: with the key of KeyId (Key given), without a key (both
// null), or not checked at all when the key was not given (Checked false: only sequence numbers are compared).
internal readonly record struct SegmentChain(string? KeyId, byte[]? Key, bool Checked);
