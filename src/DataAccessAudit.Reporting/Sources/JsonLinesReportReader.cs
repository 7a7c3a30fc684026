using System.Security.Cryptography;
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
/// <para>
/// Each input is described by the bytes counted (<see cref="ReportSourceFile"/>: their number and SHA-256), hashed on
/// the reading thread as they are read, so that the report's <c>source</c> names exactly what it counted and the input
/// is read once, the hash overlapping the counting on the other cores.
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
    /// <returns>Each file as read and counted, in order, named by its path as given.</returns>
    /// <exception cref="IOException">A file cannot be opened or read; the message names it.</exception>
    public static IReadOnlyList<ReportSourceFile> Read(
        IReadOnlyList<string> paths,
        AccessReportBuilder builder,
        IProgress<long>? progress = null,
        int maxDegreeOfParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<ReportSourceFile>(paths.Count);
        LineBlockWorkers.Count(builder, maxDegreeOfParallelism, add =>
        {
            var bytesRead = 0L;
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var path in paths)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
                // A pipe (a FIFO, or a shell's <(...)) cannot be read again: its accesses needing action are kept as
                // copies of their lines, as for standard input, instead of as places in the file.
                var size = ReadLines(stream, path, add, sha256, ref bytesRead, progress, positioned: stream.CanSeek, cancellationToken);
                files.Add(Describe(path, size, sha256));
            }
        }, cancellationToken);
        return files;
    }

    /// <summary>Reads one stream of JSON Lines, such as standard input, into <paramref name="builder"/>.</summary>
    /// <param name="stream">The UTF-8 JSON Lines; read to its end, not disposed.</param>
    /// <param name="source">How problems name the input, such as <c>stdin</c>.</param>
    /// <param name="builder">Where the events and problems are counted.</param>
    /// <param name="progress">Told the number of bytes read so far, after each block; null for none.</param>
    /// <param name="maxDegreeOfParallelism">How many workers parse; default (0) is one per processor.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The stream as read and counted, named by <paramref name="source"/>.</returns>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static ReportSourceFile ReadStream(
        Stream stream,
        string source,
        AccessReportBuilder builder,
        IProgress<long>? progress = null,
        int maxDegreeOfParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ReportSourceFile? described = null;
        LineBlockWorkers.Count(builder, maxDegreeOfParallelism, add =>
        {
            var bytesRead = 0L;
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var size = ReadLines(stream, source, add, sha256, ref bytesRead, progress, positioned: false, cancellationToken);
            described = Describe(source, size, sha256);
        }, cancellationToken);
        return described!;
    }

    private static ReportSourceFile Describe(string name, long size, IncrementalHash sha256)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha256.GetHashAndReset(hash);
        return new ReportSourceFile(name, size, hash);
    }

    // Returns how many bytes the stream gave, all of them appended to sha256.
    private static long ReadLines(
        Stream stream,
        string path,
        Action<LineBlock> add,
        IncrementalHash sha256,
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
        var size = 0L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var free = lines.FreeSpace().Span;
            var read = stream.Read(free);
            sha256.AppendData(free[..read]);
            lines.Advance(read);
            size += read;
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
                return size;
            }
        }
    }
}
