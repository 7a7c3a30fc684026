namespace DataAccessAudit.Reporting.Sources;

// Whole lines handed to a worker: Bytes[..Length] holds consecutive lines of Source, each ended by '\n' (the last
// may lack it), the first numbered FirstLine. Bytes is rented from ArrayPool<byte>.Shared; the worker returns it.
internal readonly record struct LineBlock(string Source, long FirstLine, byte[] Bytes, int Length);
