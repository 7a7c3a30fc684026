using System.Runtime.CompilerServices;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Interchange;

/// <summary>
/// Streams <c>access-event/1</c> JSON Lines: yields each event and reports each bad line (with its source,
/// line number and reason) without stopping.
/// </summary>
/// <remarks>
/// Memory stays proportional to the longest line, not to the file. Blank lines are skipped; a UTF-8 byte order
/// mark and <c>\r\n</c> line ends are accepted. A line longer than <see cref="MaxLineLength"/> is an input problem
/// of that line (its bytes are skipped, never buffered whole), and reading goes on with the next line.
/// </remarks>
public static class AccessEventReader
{
    /// <summary>
    /// The most bytes a line may hold, its line end not counted: 16 MiB (16,777,216), above the 1 MiB that
    /// <c>access-event/1</c> asks every reader to take. The same limit applies to standard input, the report
    /// generator and the file log's segments.
    /// </summary>
    public const int MaxLineLength = LineBuffer.MaxLineLength;

    private const int InitialBufferSize = 64 * 1024;

    /// <summary>Reads the events of a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="onProblem">Called for each line that is not an event.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The events, in file order.</returns>
    public static IAsyncEnumerable<AccessRecord> ReadFileAsync(
        string path,
        Action<InputProblem> onProblem,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(onProblem);
        return ReadFileCoreAsync(path, onProblem, cancellationToken);
    }

    /// <summary>Reads the events of a stream.</summary>
    /// <param name="stream">The UTF-8 JSON Lines.</param>
    /// <param name="source">How problems name the input, usually a file path.</param>
    /// <param name="onProblem">Called for each line that is not an event.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The events, in stream order.</returns>
    public static IAsyncEnumerable<AccessRecord> ReadAsync(
        Stream stream,
        string source,
        Action<InputProblem> onProblem,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(onProblem);
        return ReadCoreAsync(stream, source, onProblem, cancellationToken);
    }

    /// <summary>Reads the events of a stream synchronously.</summary>
    /// <param name="stream">The UTF-8 JSON Lines.</param>
    /// <param name="source">How problems name the input, usually a file path.</param>
    /// <param name="onProblem">Called for each line that is not an event.</param>
    /// <returns>The events, in stream order.</returns>
    public static IEnumerable<AccessRecord> Read(Stream stream, string source, Action<InputProblem> onProblem)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(onProblem);
        return ReadCore(stream, source, onProblem);
    }

    /// <summary>Parses one line, reporting it as a problem when it is not an event.</summary>
    /// <param name="line">The line's bytes, without the line end.</param>
    /// <param name="source">The input's name.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="onProblem">Called when the line is not an event.</param>
    /// <param name="record">The event.</param>
    /// <returns>True when the line is an event; false for a blank line or a problem.</returns>
    internal static bool TryParseLine(
        ReadOnlySpan<byte> line,
        string source,
        long lineNumber,
        Action<InputProblem> onProblem,
        out AccessRecord record)
    {
        ArgumentNullException.ThrowIfNull(onProblem);
        if (lineNumber == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.Trim(" \t"u8).IsEmpty)
        {
            record = default;
            return false;
        }

        if (AccessEventJson.TryParse(line, out record, out var error))
        {
            return true;
        }

        onProblem(new InputProblem(source, lineNumber, error!));
        return false;
    }

    private static async IAsyncEnumerable<AccessRecord> ReadFileCoreAsync(
        string path,
        Action<InputProblem> onProblem,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var record in ReadCoreAsync(stream, path, onProblem, cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }
        }
    }

    private static async IAsyncEnumerable<AccessRecord> ReadCoreAsync(
        Stream stream,
        string source,
        Action<InputProblem> onProblem,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = new LineSplitter();
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(lines.FreeSpace(), cancellationToken).ConfigureAwait(false);
                foreach (var record in lines.Consume(read, source, onProblem))
                {
                    yield return record;
                }

                if (read == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            lines.Dispose();
        }
    }

    private static IEnumerable<AccessRecord> ReadCore(Stream stream, string source, Action<InputProblem> onProblem)
    {
        var lines = new LineSplitter();
        try
        {
            while (true)
            {
                var read = stream.Read(lines.FreeSpace().Span);
                foreach (var record in lines.Consume(read, source, onProblem))
                {
                    yield return record;
                }

                if (read == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            lines.Dispose();
        }
    }

    // Splits what was read into lines and parses them, keeping the running line number; the records of one read
    // are collected before they are yielded, because a line's bytes cannot be held across a yield.
    private sealed class LineSplitter : IDisposable
    {
        private readonly List<AccessRecord> _parsed = [];
        private readonly LineBuffer _lines = new(InitialBufferSize);
        private long _lineNumber;

        public Memory<byte> FreeSpace() => _lines.FreeSpace();

        // At the end of input (read == 0) the last line needs no line end.
        public List<AccessRecord> Consume(int read, string source, Action<InputProblem> onProblem)
        {
            _parsed.Clear();
            _lines.Advance(read);
            while (_lines.TryTakeLine(atEnd: read == 0, out var start, out var length, out _, out var dropped))
            {
                if (dropped > 0)
                {
                    onProblem(new InputProblem(source, ++_lineNumber, LineBuffer.TooLong(dropped)));
                }
                else if (TryParseLine(_lines.Buffer.AsSpan(start, length), source, ++_lineNumber, onProblem, out var record))
                {
                    _parsed.Add(record);
                }
            }

            return _parsed;
        }

        public void Dispose() => _lines.Dispose();
    }
}
