using System.Buffers;
using System.Globalization;

namespace DataAccessAudit.Interchange;

/// <summary>
/// A pooled buffer of bytes read but not yet split into lines: what every JSON Lines reader of the library
/// (plain <c>access-event/1</c> files and standard input, the file log's segments) reads through, so memory stays
/// proportional to the longest line rather than to the input, and no line holds more than
/// <see cref="MaxLineLength"/> bytes.
/// </summary>
/// <remarks>
/// A longer line is not kept: its bytes are dropped as they arrive until its line end, and it is handed over as a
/// line of no bytes with its real length in <c>droppedLength</c>, so each reader words it as a problem of that line
/// and goes on with the next one. A file with no line end at all (a binary file, a JSON array on one line) thus
/// costs at most <see cref="MaxLineLength"/> bytes of memory, never an unbounded buffer.
/// </remarks>
internal sealed class LineBuffer : IDisposable
{
    /// <summary>
    /// The most bytes a line may hold, its line end (<c>\n</c>, or <c>\r\n</c>) not counted: 16 MiB, sixteen times the 1 MiB every reader of
    /// <c>access-event/1</c> must take, so an event carrying hundreds of thousands of subject keys is still read.
    /// </summary>
    public const int MaxLineLength = 16 * 1024 * 1024;

    private readonly int _initialSize;
    private readonly int _maxLineLength;
    private byte[] _buffer;
    private int _start;
    private int _end;

    // While a line longer than the limit is being dropped: how many of its bytes went so far, and whether the last of
    // them was a "\r" (which, before the "\n", belongs to the line end).
    private long _dropped = -1;
    private bool _droppedCr;

    public LineBuffer(int initialSize = 64 * 1024, int maxLineLength = MaxLineLength)
    {
        _initialSize = initialSize;
        _maxLineLength = maxLineLength;
        _buffer = ArrayPool<byte>.Shared.Rent(initialSize);
    }

    /// <summary>Gets the bytes; a line taken from it is valid until the next <see cref="FreeSpace"/>.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Words the problem of a line longer than <see cref="MaxLineLength"/>.</summary>
    /// <param name="length">The line's length, without its line end.</param>
    public static string TooLong(long length) => string.Create(
        CultureInfo.InvariantCulture,
        $"the line is {length:N0} bytes long, more than the {MaxLineLength:N0} bytes (16 MiB) a line may hold; it was skipped");

    /// <summary>
    /// Makes room after the pending bytes (moving them to the front, growing when full) and returns it. Callers take
    /// every whole line first, so the pending bytes are the start of one line; once they reach the limit that line
    /// is dropped.
    /// </summary>
    public Memory<byte> FreeSpace()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        // access-event/1 removes a final "\r" before it judges a line, so a line of exactly the limit may be followed
        // by one: the limit's byte after it must be that "\r", and only the one after that tells the line's end.
        if (_dropped < 0 && (_end > _maxLineLength + 1 || (_end == _maxLineLength + 1 && _buffer[_maxLineLength] != (byte)'\r')))
        {
            _dropped = _end;
            _droppedCr = _buffer[_end - 1] == (byte)'\r';
            _end = 0;
        }

        // Room for two bytes past the limit: a line of exactly the limit then shows its line end, "\r\n" included.
        var window = _maxLineLength + 2;
        if (_end == _buffer.Length && _buffer.Length < window)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, window));
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(_end, Math.Min(_buffer.Length, window) - _end);
    }

    /// <summary>Counts bytes just read into <see cref="FreeSpace"/>.</summary>
    public void Advance(int read) => _end += read;

    /// <summary>
    /// Takes the next whole line (without its <c>\n</c>); at the end of the input, also the last line that has none.
    /// </summary>
    /// <param name="atEnd">Whether the input has ended, so that pending bytes without a line end are a line.</param>
    /// <param name="start">Where the line starts in <see cref="Buffer"/>.</param>
    /// <param name="length">The line's length, without the line end; 0 for a line that was dropped.</param>
    /// <param name="terminated">Whether the line ended with <c>\n</c>.</param>
    /// <param name="droppedLength">
    /// For a line longer than the limit, whose bytes were dropped: its length without the line end; otherwise 0.
    /// </param>
    /// <returns>False when no line is complete yet (or, at the end, none is left).</returns>
    public bool TryTakeLine(bool atEnd, out int start, out int length, out bool terminated, out long droppedLength)
    {
        if (TryEndDropped(atEnd, out terminated, out droppedLength))
        {
            start = _start;
            length = 0;
            return true;
        }

        droppedLength = 0;
        start = _start;
        if (_dropped >= 0)
        {
            length = 0;
            return false;
        }

        var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (newline >= 0)
        {
            terminated = true;
            _start += newline + 1;

            // The window holds one byte past the limit for a "\r": any other byte there makes the line too long.
            if (newline > _maxLineLength && _buffer[_start - 2] != (byte)'\r')
            {
                length = 0;
                droppedLength = newline;
                return true;
            }

            length = newline;
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
    /// <param name="block">The block; its lines start at index 0. Empty (not pooled) when <paramref name="length"/> is 0.</param>
    /// <param name="length">The length of the lines in <paramref name="block"/>, line ends included.</param>
    /// <param name="droppedLength">
    /// When a line longer than the limit ended just before the block's lines: its length without the line end (the
    /// line counts as one line before the block); otherwise 0.
    /// </param>
    /// <returns>False when no line is complete yet (or, at the end, none is left).</returns>
    public bool TryTakeLines(bool atEnd, out byte[] block, out int length, out long droppedLength)
    {
        block = [];
        length = 0;
        if (!TryEndDropped(atEnd, out _, out droppedLength) && _dropped >= 0)
        {
            return false;
        }

        var pending = _buffer.AsSpan(_start, _end - _start);
        var whole = atEnd ? pending.Length : pending.LastIndexOf((byte)'\n') + 1;
        if (whole <= 0)
        {
            return droppedLength > 0;
        }

        // Lines past the limit are dropped before they fill the window, except one of the limit and one byte that is
        // not the "\r" of its line end: with its "\n" it fills the window, alone.
        if (whole > _maxLineLength + 1 && pending[_maxLineLength] != (byte)'\r')
        {
            droppedLength = _maxLineLength + 1;
            _start = _end = 0;
            return true;
        }

        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_initialSize, pending.Length - whole + 1));
        pending[whole..].CopyTo(next);
        if (_start > 0)
        {
            pending[..whole].CopyTo(_buffer);
        }

        block = _buffer;
        length = whole;
        _buffer = next;
        _end = pending.Length - whole;
        _start = 0;
        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    // While a line is being dropped: drops what arrived of it, and ends it at its line end (or the input's end).
    private bool TryEndDropped(bool atEnd, out bool terminated, out long droppedLength)
    {
        terminated = false;
        droppedLength = 0;
        if (_dropped < 0)
        {
            return false;
        }

        var pending = _buffer.AsSpan(_start, _end - _start);
        var newline = pending.IndexOf((byte)'\n');
        if (newline < 0)
        {
            _dropped += pending.Length;
            _droppedCr = pending.IsEmpty ? _droppedCr : pending[^1] == (byte)'\r';
            _start = _end;
            if (!atEnd)
            {
                return false;
            }
        }
        else
        {
            _dropped += newline;
            _droppedCr = newline == 0 ? _droppedCr : pending[newline - 1] == (byte)'\r';
            _start += newline + 1;
            terminated = true;
        }

        // Its length as the line is judged: without the final "\r".
        droppedLength = _droppedCr ? _dropped - 1 : _dropped;
        _dropped = -1;
        return true;
    }
}
