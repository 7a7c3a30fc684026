using System.Buffers;
using DataAccessAudit.Log;

namespace DataAccessAudit.Reporting.Sources;

// Gathers the verified event lines of a log, as FileLogReader.ReadEventLines hands them over one by one, into
// blocks of consecutive lines for the counting workers. A block holds lines of one segment with consecutive numbers
// (the workers number a block's lines from its first), so a header, gap or recovery line between events, or a new
// segment, starts a new block; such lines are rare, so blocks stay near full size. An event line is gathered without
// the seq and chain members the log appends to it: the counting ignores them, and the scanner's compact pass, which
// takes only members of access-event/1, would decline every line that holds them and leave it to the slower reader.
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

    public void Append(ReadOnlySpan<byte> line, string segment, long lineNumber, bool isEvent)
    {
        // The event's members and its closing brace; a line that is not a JSON event stays as written, so that its
        // problem is worded from its own bytes.
        ReadOnlySpan<byte> end = "}"u8;
        if (!isEvent || !LogFormat.TryEventWithoutChainMembers(line, out var head))
        {
            head = line;
            end = default;
        }

        AppendLine(head, end, segment, lineNumber);
    }

    private void AppendLine(ReadOnlySpan<byte> line, ReadOnlySpan<byte> end, string segment, long lineNumber)
    {
        var length = line.Length + end.Length;
        if (_length > 0 && (lineNumber != _nextLine || !string.Equals(segment, _source, StringComparison.Ordinal)))
        {
            Flush();
        }

        if (_length + length + 1 > _buffer.Length)
        {
            Flush();
            if (length + 1 > _buffer.Length)
            {
                // One line longer than a block: a block of its own, just large enough.
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(length + 1);
            }
        }

        if (_length == 0)
        {
            _source = segment;
            _firstLine = lineNumber;
        }

        line.CopyTo(_buffer.AsSpan(_length));
        end.CopyTo(_buffer.AsSpan(_length + line.Length));
        _buffer[_length + length] = (byte)'\n';
        _length += length + 1;
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
