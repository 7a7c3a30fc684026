using System.Buffers;

namespace DataAccessAudit.Log;

// Reads the lines of one segment file with a pooled buffer: memory proportional to the longest line. A line's
// bytes are valid until the next read.
internal sealed class SegmentLineReader : IDisposable
{
    private readonly FileStream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
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

    public byte[] Buffer => _buffer;

    // The offset just after the last line read.
    public long Offset => _offset;

    public bool TryRead(out int start, out int length, out bool terminated)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                start = _start;
                length = newline - _start;
                terminated = true;
                _offset += length + 1;
                _start = newline + 1;
                return true;
            }

            if (_eof)
            {
                start = _start;
                length = _end - _start;
                terminated = false;
                _offset += length;
                _start = _end;
                return length > 0;
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, _end).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
