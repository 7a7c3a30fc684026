using DataAccessAudit.Interchange;

namespace DataAccessAudit.Log;

// Reads the lines of one segment file through a LineBuffer: memory proportional to the longest line. A line's
// bytes are valid until the next read.
internal sealed class SegmentLineReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly LineBuffer _lines = new();
    private bool _eof;
    private long _offset;

    public SegmentLineReader(string path, long offset = 0)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        if (offset > 0)
        {
            _stream.Seek(offset, SeekOrigin.Begin);
            _offset = offset;
        }
    }

    public byte[] Buffer => _lines.Buffer;

    // The offset just after the last line read.
    public long Offset => _offset;

    // For the line just read, when it was longer than LineBuffer.MaxLineLength: its length (its bytes were dropped
    // and length is 0); otherwise 0. The writer never writes such a line.
    public long DroppedLength { get; private set; }

    public bool TryRead(out int start, out int length, out bool terminated)
    {
        long dropped;
        while (!_lines.TryTakeLine(_eof, out start, out length, out terminated, out dropped))
        {
            if (_eof)
            {
                return false;
            }

            var read = _stream.Read(_lines.FreeSpace().Span);
            _eof = read == 0;
            _lines.Advance(read);
        }

        DroppedLength = dropped;
        _offset += (dropped > 0 ? dropped : length) + (terminated ? 1 : 0);
        return true;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _lines.Dispose();
    }
}
