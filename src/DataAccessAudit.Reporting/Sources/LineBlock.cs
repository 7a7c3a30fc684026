using DataAccessAudit.Interchange;

namespace DataAccessAudit.Reporting.Sources;

// Whole lines handed to a worker: Bytes[..Length] holds consecutive lines of Source, each ended by '\n' (the last
// may lack it), the first numbered FirstLine. Bytes is rented from ArrayPool<byte>.Shared; the worker returns it.
// A line longer than LineBuffer.MaxLineLength is a block of its own with no bytes and its DroppedLength. Position is
// where Bytes[0] lies in the file Source when that file can be read again there, -1 otherwise (standard input, a log).
internal readonly record struct LineBlock(string Source, long FirstLine, byte[] Bytes, int Length, long DroppedLength = 0, long Position = -1)
{
    public static LineBlock TooLong(string source, long line, long droppedLength) => new(source, line, [], 0, droppedLength);
}
