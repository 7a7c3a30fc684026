using System.Buffers;

namespace DataAccessAudit.Interchange;

/// <summary>
/// A pooled buffer of bytes read but not yet split into lines: what every JSON Lines reader of the library
/// (plain <c>access-event/1</c> files, the file log's segments) reads through, so memory stays proportional to
/// the longest line rather than to the input.
/// </summary>
internal sealed class LineBuffer : IDisposable
{
    private readonly int _initialSize;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public LineBuffer(int initialSize = 64 * 1024)
    {
        _initialSize = initialSize;
        _buffer = ArrayPool<byte>.Shared.Rent(initialSize);
    }

    /// <summary>Gets the bytes; a line taken from it is valid until the next <see cref="FreeSpace"/>.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Makes room after the pending bytes (moving them to the front, growing when full) and returns it.</summary>
    public Memory<byte> FreeSpace()
    {
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

        return _buffer.AsMemory(_end);
    }

    /// <summary>Counts bytes just read into <see cref="FreeSpace"/>.</summary>
    public void Advance(int read) => _end += read;

    /// <summary>
    /// Takes the next whole line (without its <c>\n</c>); at the end of the input, also the last line that has none.
    /// </summary>
    /// <param name="atEnd">Whether the input has ended, so that pending bytes without a line end are a line.</param>
    /// <param name="start">Where the line starts in <see cref="Buffer"/>.</param>
    /// <param name="length">The line's length, without the line end.</param>
    /// <param name="terminated">Whether the line ended with <c>\n</c>.</param>
    /// <returns>False when no line is complete yet (or, at the end, none is left).</returns>
    public bool TryTakeLine(bool atEnd, out int start, out int length, out bool terminated)
    {
        start = _start;
        var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (newline >= 0)
        {
            length = newline;
            terminated = true;
            _start += newline + 1;
            return true;
        }

        length = _end - _start;
        terminated = false;
        if (!atEnd || length == 0)
        {
            return false;
        }

        _start = _end;
        return true;
    }

    /// <summary>
    /// Hands over every pending whole line at once, as a block for another thread: the buffer holding them becomes
    /// the caller's (to return to <see cref="ArrayPool{T}.Shared"/>), and the partial last line moves to a new one.
    /// </summary>
    /// <param name="atEnd">Whether the input has ended, so that pending bytes without a line end are a line.</param>
    /// <param name="block">The block; its lines start at index 0.</param>
    /// <param name="length">The length of the lines in <paramref name="block"/>, line ends included.</param>
    /// <returns>False when no line is complete yet (or, at the end, none is left).</returns>
    public bool TryTakeLines(bool atEnd, out byte[] block, out int length)
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        length = atEnd ? pending.Length : pending.LastIndexOf((byte)'\n') + 1;
        if (length <= 0)
        {
            block = [];
            length = 0;
            return false;
        }

        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_initialSize, pending.Length - length + 1));
        pending[length..].CopyTo(next);
        if (_start > 0)
        {
            pending[..length].CopyTo(_buffer);
        }

        block = _buffer;
        _buffer = next;
        _end = pending.Length - length;
        _start = 0;
        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
