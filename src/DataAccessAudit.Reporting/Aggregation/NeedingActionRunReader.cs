using System.Buffers;

namespace DataAccessAudit.Reporting.Aggregation;

// Reads a run's entries in order through one buffer: the current entry's id and line (when the run holds it) are spans
// of that buffer, valid until the next MoveNext. The buffer grows only for an entry larger than it.
internal sealed class NeedingActionRunReader : IDisposable
{
    private const int BufferLength = 1 << 16;

    private readonly NeedingActionRun _run;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferLength);
    private long _fileOffset;
    private int _start;
    private int _end;
    private int _idStart;
    private int _idLength;
    private int _lineLength;
    private int _entryLength;

    public NeedingActionRunReader(NeedingActionRun run) => _run = run;

    public NeedingActionRun Run => _run;

    public ActionSeverity Severity { get; private set; }

    public long UnixTicks { get; private set; }

    // The nanoseconds of the time past UnixTicks, 0 to 99.
    public byte SubTick { get; private set; }

    public int Decision { get; private set; }

    // The entry's input file (an index into Run.Sources) and where its line starts there; -1 when the run holds it.
    public int Source { get; private set; }

    public long Position { get; private set; }

    public int LineLength => _lineLength;

    public ReadOnlySpan<byte> Id => _buffer.AsSpan(_idStart, _idLength);

    // The line held in the run; empty when it lies in an input file (Source).
    public ReadOnlySpan<byte> Line => Source < 0 ? _buffer.AsSpan(_idStart + _idLength, _lineLength) : [];

    public bool MoveNext()
    {
        _start += _entryLength;
        _entryLength = 0;
        if (!Fill(NeedingActionRun.HeaderLength))
        {
            return false;
        }

        (Severity, UnixTicks, SubTick, _idLength, _lineLength, Decision, var source, var position) = NeedingActionRun.ReadHeader(_buffer.AsSpan(_start));
        Source = source;
        Position = position;
        var length = NeedingActionRun.HeaderLength + _idLength + (source < 0 ? _lineLength : 0);
        if (!Fill(length))
        {
            throw new IOException("A temporary file of the accesses needing action ends inside an entry.");
        }

        _idStart = _start + NeedingActionRun.HeaderLength;
        _entryLength = length;
        return true;
    }

    // Makes sure the buffer holds count bytes from _start; false at the end of the run.
    private bool Fill(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        var held = _end - _start;
        if (count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(count);
            _buffer.AsSpan(_start, held).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
        }

        _start = 0;
        _end = held;
        var read = _run.Read(_buffer.AsSpan(_end), _fileOffset);
        _fileOffset += read;
        _end += read;
        return _end >= count;
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
