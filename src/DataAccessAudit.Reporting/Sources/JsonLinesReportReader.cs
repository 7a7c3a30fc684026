using DataAccessAudit.Interchange;

namespace DataAccessAudit.Reporting.Sources;

/// <summary>
/// Reads <c>access-event/1</c> JSON Lines files into an <see cref="AccessReportBuilder"/> on every core: one thread
/// reads blocks of whole lines, workers parse and count them into partial builders, and the partials are merged.
/// </summary>
/// <remarks>
/// Parsing a line costs far more than counting it, so splitting the lines across cores is what makes a report fast.
/// Each worker first tries a fast scanner that counts the common shape of line (with or without a recorded decision;
/// without one, the policy decides on the scanned fields) without building objects, and hands every other line to
/// <see cref="AccessEventReader.TryParseLine"/>, so results are exactly those of the full parser.
/// Line numbers and problems are exactly those of <see cref="AccessEventReader"/>: each block carries the number of
/// its first line. Memory is the builders plus a few blocks in flight (<see cref="BlockSize"/> each, more only
/// for a line longer than a block).
/// <para>
/// The accesses needing action of files given by path are kept as their places in the files, not as copies, and read
/// back from there when the report lists them (<see cref="AccessesNeedingAction.ReadAll"/>, the page's first rows):
/// a file must stay as it is until the report is written, or listing them throws an <see cref="IOException"/>. A
/// stream (<see cref="ReadStream"/>) cannot be read twice, so its accesses are copied.
/// </para>
/// </remarks>
public static class JsonLinesReportReader
{
    /// <summary>The size of the blocks of lines handed to workers.</summary>
    public const int BlockSize = 1 << 20;

    /// <summary>Reads files, in order, into <paramref name="builder"/>.</summary>
    /// <param name="paths">The files.</param>
    /// <param name="builder">Where the events and problems are counted.</param>
    /// <param name="progress">Told the number of bytes read so far, after each block; null for none.</param>
    /// <param name="maxDegreeOfParallelism">How many workers parse; default (0) is one per processor.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="IOException">A file cannot be opened or read; the message names it.</exception>
    public static void Read(
        IReadOnlyList<string> paths,
        AccessReportBuilder builder,
        IProgress<long>? progress = null,
        int maxDegreeOfParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        LineBlockWorkers.Count(builder, maxDegreeOfParallelism, add =>
        {
            var bytesRead = 0L;
            foreach (var path in paths)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
                ReadLines(stream, path, add, ref bytesRead, progress, positioned: true, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>Reads one stream of JSON Lines, such as standard input, into <paramref name="builder"/>.</summary>
    /// <param name="stream">The UTF-8 JSON Lines; read to its end, not disposed.</param>
    /// <param name="source">How problems name the input, such as <c>stdin</c>.</param>
    /// <param name="builder">Where the events and problems are counted.</param>
    /// <param name="progress">Told the number of bytes read so far, after each block; null for none.</param>
    /// <param name="maxDegreeOfParallelism">How many workers parse; default (0) is one per processor.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static void ReadStream(
        Stream stream,
        string source,
        AccessReportBuilder builder,
        IProgress<long>? progress = null,
        int maxDegreeOfParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        LineBlockWorkers.Count(builder, maxDegreeOfParallelism, add =>
        {
            var bytesRead = 0L;
            ReadLines(stream, source, add, ref bytesRead, progress, positioned: false, cancellationToken);
        }, cancellationToken);
    }

    private static void ReadLines(
        Stream stream,
        string path,
        Action<LineBlock> add,
        ref long bytesRead,
        IProgress<long>? progress,
        bool positioned,
        CancellationToken cancellationToken)
    {
        using var lines = new LineBuffer(BlockSize);
        var nextLine = 1L;

        // Where the next block starts in a file read from its start: its lines can be read again there (the
        // accesses needing action are kept as places rather than copies). After a line too long to keep, blocks
        // are no longer counted from the start, so they are not given places.
        var position = positioned ? 0L : -1L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = stream.Read(lines.FreeSpace().Span);
            lines.Advance(read);
            bytesRead += read;
            if (lines.TryTakeLines(atEnd: read == 0, out var block, out var length, out var dropped))
            {
                if (dropped > 0)
                {
                    add(LineBlock.TooLong(path, nextLine++, dropped));
                    position = -1;
                }

                if (length > 0)
                {
                    add(new LineBlock(path, nextLine, block, length, Position: position));
                    position = position < 0 ? -1 : position + length;
                    nextLine += block.AsSpan(0, length).Count((byte)'\n');
                }

                progress?.Report(bytesRead);
            }

            if (read == 0)
            {
                break;
            }
        }
    }
}
