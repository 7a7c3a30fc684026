using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace DataAccessAudit.Reporting.Aggregation;

// Reads the lines of accesses needing action back from the input files they were counted from, for the collector
// that kept only where they lie (NeedingActionRuns, for a file that can be read again). Reads go through one window
// of the file: the list comes out newest first, so reading mostly moves backwards through a file, and a window that
// ends at the line asked for holds the lines asked for next. A line that is not what was counted (the file changed
// since) is an IOException rather than a different row.
internal sealed class NeedingActionInput : IDisposable
{
    private const int WindowLength = 1 << 18;

    private readonly Dictionary<string, SafeFileHandle> _files = new(StringComparer.Ordinal);
    private byte[] _window = [];
    private string? _windowPath;
    private long _windowStart;
    private int _windowLength;

    // The line of length bytes at position in path, valid until the next Read; id is the event id counted there.
    public ReadOnlySpan<byte> Read(string path, long position, int length, ReadOnlySpan<byte> id)
    {
        if (!string.Equals(path, _windowPath, StringComparison.Ordinal) || position < _windowStart || position + length > _windowStart + _windowLength)
        {
            Fill(path, position, length);
        }

        var line = _window.AsSpan((int)(position - _windowStart), length);
        if (line.IndexOf(id) < 0 || line.Contains((byte)'\n'))
        {
            throw Changed(path, position);
        }

        return line;
    }

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.Dispose();
        }

        _files.Clear();
        if (_window.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_window);
            _window = [];
        }

        _windowPath = null;
        _windowLength = 0;
    }

    private static IOException Changed(string path, long position) =>
        new($"'{path}' changed while the report was being made: the access needing action counted at byte {position} is no longer there.");

    private void Fill(string path, long position, int length)
    {
        var backwards = string.Equals(path, _windowPath, StringComparison.Ordinal) && position < _windowStart;
        var size = Math.Max(WindowLength, length);
        if (_window.Length < size)
        {
            if (_window.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_window);
            }

            _window = ArrayPool<byte>.Shared.Rent(size);
        }

        if (!_files.TryGetValue(path, out var file))
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _files.Add(path, file);
        }

        var start = backwards ? Math.Max(0, position + length - size) : position;
        var read = 0;
        while (read < size)
        {
            var n = RandomAccess.Read(file, _window.AsSpan(read, size - read), start + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        _windowPath = path;
        _windowStart = start;
        _windowLength = read;
        if (start + read < position + length)
        {
            throw Changed(path, position);
        }
    }
}
