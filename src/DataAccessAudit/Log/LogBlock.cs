using System.Buffers;
using System.Runtime.ExceptionServices;

namespace DataAccessAudit.Log;

// Consecutive lines of one segment, copied out of the file by the read-ahead and checked by a worker, then walked
// in file order by the scanner. Reused once the scanner is done with it.
internal sealed class LogBlock
{
    public const int MaxLines = 4096;

    public const int Bytes = 1 << 20;

    public byte[] Buffer { get; private set; } = [];

    public BlockLine[] Lines { get; } = new BlockLine[MaxLines];

    public int Count { get; set; }

    // How many bytes of Buffer are in use.
    public int Used { get; set; }

    // The index of the block's segment in the segment list.
    public int Segment { get; set; }

    // Whether this is the last block of its segment.
    public bool EndOfSegment { get; set; }

    // How the segment's records are chained, from its header.
    public SegmentChain Chain { get; set; }

    // The line before the block's first line, in the same segment, copied to the front of Buffer: what the first
    // line's link depends on. -1 when there is none (the segment starts here, or that line was too long to keep).
    public int ContextLength { get; set; } = -1;

    // A failure to read the segment, rethrown where the scanner meets the block.
    public ExceptionDispatchInfo? Error { get; set; }

    public Task Checked { get; set; } = Task.CompletedTask;

    public ReadOnlySpan<byte> Line(int index) => Buffer.AsSpan(Lines[index].Start, Lines[index].Length);

    public void Reset(int segment, SegmentChain chain, int bytes)
    {
        if (Buffer.Length < bytes)
        {
            ReturnBuffer();
            Buffer = ArrayPool<byte>.Shared.Rent(bytes);
        }

        Segment = segment;
        Chain = chain;
        Count = 0;
        Used = 0;
        ContextLength = -1;
        EndOfSegment = false;
        Error = null;
        Checked = Task.CompletedTask;
    }

    // Makes room for one more line of length bytes, keeping what the block holds.
    public void Reserve(int length)
    {
        if (Used + length <= Buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Used + length);
        Buffer.AsSpan(0, Used).CopyTo(larger);
        ReturnBuffer();
        Buffer = larger;
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

// One line of a block: where it is and what reading it gave (as SegmentLineReader reports it), then what the
// worker found.
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
