using System.Buffers;
using DataAccessAudit.Log;
using NodaTime;

namespace DataAccessAudit.PostgreSql.Writing;

// An instance's chain continued in a local file while the database cannot be reached: the very access-log/1 record
// lines (sequence numbers and links included) that the database's record column would hold, appended and synced
// batch by batch, so that an accepted access survives the outage and a crash of the process. Replaying it is
// idempotent because the lines keep their sequence numbers: lines the database already holds are skipped, so a
// replay cut short, or a file whose deletion was lost, never writes a line twice. The file is held exclusively
// while open, so a second process under the same instance id and directory is refused instead of interleaving.
internal sealed class SpillFile : IDisposable
{
    private const string Prefix = "spill-";
    private const string Extension = ".jsonl";

    private readonly FileStream _stream;

    private SpillFile(string path, FileStream stream)
    {
        FilePath = path;
        _stream = stream;
    }

    public string FilePath { get; }

    public bool IsEmpty => _stream.Length == 0;

    // Where the torn last line found on opening was moved, and its length; null when the file ended in a whole line.
    public string? TornPath { get; private set; }

    public long TornBytes { get; private set; }

    // The file or its directory found open to other users on opening, tightened or not (SpillModes); empty when
    // both were the owner's only.
    public IReadOnlyList<SpillModeChange> ModeChanges { get; private set; } = [];

    // ':' may not appear in a Windows file name; '%' may not appear in an instance id, so the mapping is one to one.
    public static string FileName(string instanceId) => Prefix + instanceId.Replace(':', '%') + Extension;

    // A spill file or the side file of its torn line (spill-<id>.jsonl.torn-<time>).
    public static bool IsSpillFileName(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal) && name.Contains(Extension, StringComparison.Ordinal);

    // The instance's spill file if a previous process left one, its torn last line (a write the crash cut short,
    // never acknowledged, or a file cut by someone) moved to a side file; null when there is none.
    public static SpillFile? OpenExisting(string directory, string instanceId, Instant now)
    {
        var path = Path.Combine(directory, FileName(instanceId));
        if (!File.Exists(path))
        {
            return null;
        }

        return Opened(new SpillFile(path, Open(path, FileMode.Open)), directory, now);
    }

    public static SpillFile Create(string directory, string instanceId, Instant now)
    {
        // The file holds who accessed whose personal data: a directory it creates is the owner's only (0700), as
        // the file itself is (0600). A directory that exists is tightened to that when it is the store's own
        // (SpillModes). Each directory created is made durable in its parent, as the file is in the directory.
        DirectorySync.Create(directory, ownerOnly: true);
        var path = Path.Combine(directory, FileName(instanceId));
        var spill = Opened(new SpillFile(path, Open(path, FileMode.OpenOrCreate)), directory, now);
        DirectorySync.Flush(directory);
        return spill;
    }

    // Appends whole lines and makes them durable before returning; a failed append (a full disk) leaves the file
    // as it was, so that the retry does not write the lines twice.
    public void Append(ReadOnlySpan<byte> lines)
    {
        var length = _stream.Length;
        try
        {
            _stream.Position = length;
            _stream.Write(lines);
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            _stream.SetLength(length);
            throw;
        }
    }

    // Calls line for every line in order, without its '\n'; the span is only valid during the call.
    public void ReadLines(Action<ReadOnlyMemory<byte>> line)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            _stream.Position = 0;
            var filled = 0;
            int read;
            while ((read = _stream.Read(buffer, filled, buffer.Length - filled)) > 0)
            {
                filled += read;
                var start = 0;
                int end;
                while ((end = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
                {
                    line(buffer.AsMemory(start, end - start));
                    start = end + 1;
                }

                Array.Copy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Array.Copy(buffer, larger, filled);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Called once every line is in the database.
    public void Delete()
    {
        _stream.Dispose();
        File.Delete(FilePath);
        DirectorySync.Flush(Path.GetDirectoryName(FilePath)!);
    }

    public void Dispose() => _stream.Dispose();

    // A spill file that cannot be made ready is closed again, so that the next attempt can open it.
    private static SpillFile Opened(SpillFile spill, string directory, Instant now)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                spill.ModeChanges = [.. new[] { SpillModes.TightenDirectory(directory), SpillModes.TightenFile(spill._stream.SafeFileHandle, spill.FilePath) }.OfType<SpillModeChange>()];
            }

            spill.MoveTornTailAside(now);
            return spill;
        }
        catch
        {
            spill.Dispose();
            throw;
        }
    }

    private static FileStream Open(string path, FileMode mode)
    {
        try
        {
            // A file this creates is the owner's only (0600); one that exists is tightened once open (SpillModes).
            return new FileStream(path, mode == FileMode.Open
                ? new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 0 }
                : OwnerOnlyFile.Options(mode, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException exception) when (exception is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidOperationException(
                $"The spill file '{path}' is held by another process: every process writing at once needs its own PostgreSqlStoreOptions.InstanceId.", exception);
        }
    }

    // The bytes after the last '\n' are no record: a crash cut the append short, or the file was cut. They are not
    // replayed, and not dropped either: as the file log does with a segment's torn line, they are copied to a side
    // file beside this one (LogTail.AsidePath: spill-<id>.jsonl.torn-<UTC time>, 0600), made durable, and only then
    // cut off, so that the evidence of what happened stays for whoever investigates.
    private void MoveTornTailAside(Instant now)
    {
        var length = _stream.Length;
        var keep = length;
        var block = new byte[4096];
        while (keep > 0)
        {
            var size = (int)Math.Min(block.Length, keep);
            _stream.Position = keep - size;
            _stream.ReadExactly(block, 0, size);
            var newline = Array.LastIndexOf(block, (byte)'\n', size - 1, size);
            if (newline >= 0)
            {
                keep = keep - size + newline + 1;
                break;
            }

            keep -= size;
        }

        if (keep == length)
        {
            return;
        }

        var torn = new byte[length - keep];
        _stream.Position = keep;
        _stream.ReadExactly(torn);
        var aside = LogTail.AsidePath(FilePath, now);
        try
        {
            using var side = new FileStream(aside, OwnerOnlyFile.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None));
            side.Write(torn);
            side.Flush(flushToDisk: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // On a full disk: no partial side file; the torn bytes stay in the spill file, which is not replayed.
            File.Delete(aside);
            throw new IOException($"The spill file '{FilePath}' ends in a torn line of {torn.Length} bytes, which could not be moved to '{aside}' ({exception.Message}); the file is kept as it is and not replayed.", exception);
        }

        DirectorySync.Flush(Path.GetDirectoryName(FilePath)!);
        _stream.SetLength(keep);
        _stream.Flush(flushToDisk: true);
        TornPath = aside;
        TornBytes = torn.Length;
    }
}
