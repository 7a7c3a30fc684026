using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Log;

/// <summary>
/// The end of a log as a writer resumes it: the last segment that holds a complete line, opened for appending, with
/// the sequence number and chain value its last line ends on.
/// </summary>
/// <remarks>
/// Opening recovers from a crash first. A torn last line (bytes after the last <c>'\n'</c>) is copied to a
/// <c>.torn-STAMP</c> file beside the segment and cut off; a segment holding no complete line is moved aside whole and
/// the one before it resumed. Either is reported through <see cref="Recovery"/>, for the writer to record. A torn line
/// is copied aside only if the copy could be written whole: on a full disk nothing partial is left and the next open
/// tries again.
/// </remarks>
internal sealed class LogTail
{
    private LogTail(FileStream file, string path, long number, Instant created, string? keyId, bool hasRecords, long lastSequence, byte[] lastChain)
    {
        File = file;
        Path = path;
        Number = number;
        Created = created;
        KeyId = keyId;
        HasRecords = hasRecords;
        LastSequence = lastSequence;
        LastChain = lastChain;
    }

    /// <summary>Gets the segment, open for reading and writing, positioned nowhere (every write names its offset).</summary>
    public FileStream File { get; }

    public string Path { get; }

    public long Number { get; }

    public Instant Created { get; }

    /// <summary>Gets the id of the key the segment is chained with; null when unkeyed.</summary>
    public string? KeyId { get; }

    /// <summary>Gets whether the segment holds a record after its header.</summary>
    public bool HasRecords { get; }

    /// <summary>Gets the sequence number of the last record, or the one the header continues from.</summary>
    public long LastSequence { get; }

    /// <summary>Gets the chain value of the segment's last line.</summary>
    public byte[] LastChain { get; }

    /// <summary>Gets what opening recovered, if anything.</summary>
    public FileLogRecovery? Recovery { get; private init; }

    /// <summary>
    /// Opens the last segment of <paramref name="directory"/> that holds a complete line, recovering a torn end first.
    /// </summary>
    /// <returns>The tail; or null when the directory holds no segment (after moving aside any that held no line), with
    /// <paramref name="recovery"/> saying what was moved.</returns>
    /// <exception cref="InvalidDataException">The segment's header or last line is damaged.</exception>
    public static LogTail? Open(string directory, Instant now, PositionedWriter write, ILogger logger, out FileLogRecovery? recovery)
    {
        recovery = null;
        var segments = LogFormat.ListSegments(directory);
        for (var index = segments.Count - 1; index >= 0; index--)
        {
            var (number, path) = segments[index];
            var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.ReadWrite, Share = FileShare.Read, BufferSize = 0 });
            byte[]? last;
            try
            {
                last = RecoverTornLine(file.SafeFileHandle, directory, path, now, write, logger, ref recovery);
            }
            catch
            {
                file.Dispose();
                throw;
            }

            if (last is null)
            {
                var tornBytes = file.Length;
                file.Dispose();
                var aside = AsidePath(path, now);
                System.IO.File.Move(path, aside);
                DirectorySync.Flush(directory);
                recovery = new FileLogRecovery(path, tornBytes, aside);
                FileLogMessages.TornSegmentMovedAside(logger, path, aside);
                continue;
            }

            try
            {
                return Resume(file, path, number, last, recovery);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        return null;
    }

    /// <summary>Reads the first line of a segment (its header), or null when it has none within 4 KiB.</summary>
    public static byte[]? ReadFirstLine(SafeFileHandle handle)
    {
        var buffer = new byte[4096];
        var read = RandomAccess.Read(handle, buffer, 0);
        var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
        return newline < 0 ? null : buffer.AsSpan(0, newline).ToArray();
    }

    /// <summary>Reads when a segment was started, from its header; false when the header is missing or damaged.</summary>
    public static bool TryReadHeader(SafeFileHandle handle, out LogLineFields fields, out Instant created)
    {
        created = default;
        fields = default;
        var header = ReadFirstLine(handle);
        return header is not null && LogFormat.TryReadFields(header, out fields) && fields.IsHeader &&
               InstantPattern.ExtendedIso.Parse(fields.Created ?? string.Empty).TryGetValue(default, out created);
    }

    private static LogTail Resume(FileStream file, string path, long number, byte[] last, FileLogRecovery? recovery)
    {
        if (!TryReadHeader(file.SafeFileHandle, out var header, out var created))
        {
            throw new InvalidDataException($"The first line of audit log segment '{path}' is not a segment header; the log is damaged. Run verification and move the damaged segment aside before recording again.");
        }

        var chain = new byte[ChainHasher.Size];
        if (!LogFormat.TrySplitChain(last, out _, chain) || !LogFormat.TryReadFields(last, out var lastFields) ||
            (!lastFields.IsHeader && lastFields.Seq is null))
        {
            throw new InvalidDataException($"The last line of audit log segment '{path}' is damaged. Run verification and move the damaged segment aside before recording again.");
        }

        var lastSequence = lastFields.IsHeader ? header.PrevSeq ?? 0 : lastFields.Seq!.Value;
        return new LogTail(file, path, number, created, header.KeyId, !lastFields.IsHeader, lastSequence, chain) { Recovery = recovery };
    }

    // Moves a torn tail (bytes after the last '\n') aside and cuts it off; returns the last complete line, or
    // null when the file holds none.
    private static byte[]? RecoverTornLine(SafeFileHandle handle, string directory, string path, Instant now, PositionedWriter write, ILogger logger, ref FileLogRecovery? recovery)
    {
        var length = RandomAccess.GetLength(handle);
        if (length == 0)
        {
            return null;
        }

        var window = (int)Math.Min(length, 64 * 1024);
        while (true)
        {
            var buffer = new byte[window];
            RandomAccess.Read(handle, buffer, length - window);
            var lastNewline = Array.LastIndexOf(buffer, (byte)'\n');
            var previousNewline = lastNewline > 0 ? Array.LastIndexOf(buffer, (byte)'\n', lastNewline - 1) : -1;
            var complete = lastNewline >= 0 && (previousNewline >= 0 || window == length);
            if (!complete && window < length)
            {
                window = (int)Math.Min(length, (long)window * 4);
                continue;
            }

            if (lastNewline < 0)
            {
                return null;
            }

            var goodLength = length - window + lastNewline + 1;
            if (goodLength < length)
            {
                var torn = buffer.AsSpan(lastNewline + 1).ToArray();
                var aside = AsidePath(path, now);
                try
                {
                    using var side = new FileStream(aside, OwnerOnlyFile.Options(FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read));
                    write(side.SafeFileHandle, torn, 0);
                    RandomAccess.FlushToDisk(side.SafeFileHandle);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // On a full disk: leave no empty or partial side file behind; the torn bytes stay where they are
                    // and the next open moves them aside.
                    System.IO.File.Delete(aside);
                    throw;
                }

                DirectorySync.Flush(directory);
                RandomAccess.SetLength(handle, goodLength);
                RandomAccess.FlushToDisk(handle);
                recovery = new FileLogRecovery(path, torn.Length, aside);
                FileLogMessages.TornLineMovedAside(logger, path, torn.Length, aside);
            }

            return buffer.AsSpan(previousNewline + 1, lastNewline - previousNewline - 1).ToArray();
        }
    }

    // The side file for a torn tail of path: path.torn-<UTC time>, numbered when one of that second exists. Also
    // names the side file of the PostgreSQL store's spill file, so that both keep torn bytes alike.
    internal static string AsidePath(string path, Instant now)
    {
        var stamp = now.ToString("uuuuMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var aside = path + LogFormat.TornInfix + stamp;
        for (var i = 1; System.IO.File.Exists(aside); i++)
        {
            aside = path + LogFormat.TornInfix + stamp + "-" + i.ToString(CultureInfo.InvariantCulture);
        }

        return aside;
    }
}
