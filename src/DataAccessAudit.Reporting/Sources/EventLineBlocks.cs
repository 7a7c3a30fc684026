using System.Buffers;

namespace DataAccessAudit.Reporting.Sources;

// Gathers the verified event lines of a log, as FileLogReader.ReadEventLines hands them over one by one, into
// blocks of consecutive lines for the counting workers. A block holds lines of one segment with consecutive numbers
// (the workers number a block's lines from its first), so a header, gap or recovery line between events, or a new
// segment, starts a new block; such lines are rare, so blocks stay near full size.
internal sealed class EventLineBlocks : IDisposable
{
    private readonly Action<LineBlock> _add;
    private readonly IProgress<long>? _progress;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(JsonLinesReportReader.BlockSize);
    private int _length;
    private string _source = string.Empty;
    private long _firstLine;
    private long _nextLine;
    private long _events;

    public EventLineBlocks(Action<LineBlock> add, IProgress<long>? progress)
    {
        _add = add;
        _progress = progress;
    }

    public void Append(ReadOnlySpan<byte> line, string segment, long lineNumber)
    {
        if (_length > 0 && (lineNumber != _nextLine || !string.Equals(segment, _source, StringComparison.Ordinal)))
        {
            Flush();
        }

        if (_length + line.Length + 1 > _buffer.Length)
        {
            Flush();
            if (line.Length + 1 > _buffer.Length)
            {
                // One line longer than a block: a block of its own, just large enough.
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(line.Length + 1);
            }
        }

        if (_length == 0)
        {
            _source = segment;
            _firstLine = lineNumber;
        }

        line.CopyTo(_buffer.AsSpan(_length));
        _buffer[_length + line.Length] = (byte)'\n';
        _length += line.Length + 1;
        _nextLine = lineNumber + 1;
        if (_progress is not null && (++_events & 0xFFFF) == 0)
        {
            _progress.Report(_events);
        }
    }

    // Hands the gathered lines over (the workers then own the buffer) and starts an empty block.
    public void Flush()
    {
        if (_length == 0)
        {
            return;
        }

        var full = _buffer;
        var length = _length;
        _buffer = [];
        _length = 0;
        _add(new LineBlock(_source, _firstLine, full, length));
        _buffer = ArrayPool<byte>.Shared.Rent(JsonLinesReportReader.BlockSize);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
