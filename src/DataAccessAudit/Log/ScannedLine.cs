namespace DataAccessAudit.Log;

// One line handed out by the scanner; reused, valid until the next line.
internal sealed class ScannedLine
{
    private byte[] _buffer = [];
    private int _start;
    private int _length;

    public string Path { get; private set; } = string.Empty;

    public long Line { get; private set; }

    public LineKind Kind { get; set; }

    public bool Verified { get; set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _length);

    public void Set(string path, long line, byte[] buffer, int start, int length)
    {
        Path = path;
        Line = line;
        _buffer = buffer;
        _start = start;
        _length = length;
    }
}
