using System.Runtime.ExceptionServices;

namespace DataAccessAudit.Log;

// Replaces files whole or not at all, several at a time, and makes them durable together: Add writes a file's bytes
// to a temporary file in the target's directory (so the rename stays on one file system); Commit flushes every
// temporary file to disk, renames each over its target, and then syncs each directory once, and the parent of each
// directory it created (a new directory is an entry of its parent, lost with every file in it by a power loss until
// the parent is synced: a tile in tile/0/x001/, created for it, would vanish with the directory). A crash or a full disk
// leaves each target as it was (or absent), never truncated: until the renames, no target is touched, and disposing a
// batch that was not committed deletes its temporary files and the directories it created for them (left behind, such
// a directory would be taken for durable by the next batch, which finds it, and its parent never synced).
//
// Flushing and syncing wait for the device, and only their number costs: a tree extended by thousands of tiles,
// written one by one through AtomicFile.Write, waited two flushes a tile (its file and its directory), seconds in all.
// Here the temporary files are flushed several at once (a journaling file system commits flushes that wait together
// as one), each through its own fsync, which reports that file's write error, rather than by syncfs (Linux only, and
// a flush of every file on the file system, other programs' too); and each directory, holding hundreds of tiles, is
// synced once, after all its renames.
//
// A target that is a symbolic link is followed: the file it points to is replaced, as writing through the link would,
// and the link stays (a key file kept on a mounted secret volume behind a link must get the new key, not lose the link).
internal sealed class AtomicFileBatch : IDisposable
{
    // Temporary files flushed at once, each on a thread of its own: a flush blocks its thread on the device, and the
    // thread pool's threads are the host application's (the checkpoint writer runs inside it).
    private const int ConcurrentFlushes = 16;

    private readonly bool _ownerOnly;
    private readonly List<(string Temporary, string Path)> _staged = [];

    // The directories Add created for its targets, the outermost of each chain first.
    private readonly List<string> _created = [];

    public AtomicFileBatch(bool ownerOnly) => _ownerOnly = ownerOnly;

    // Makes a directory's entries durable; tests observe it.
    internal Action<string> SyncDirectory { get; init; } = DirectorySync.Flush;

    // Flushes a temporary file's bytes to disk; tests make it fail.
    internal Action<string> FlushFile { get; init; } = FlushToDisk;

    // Writes the file's bytes to its temporary file and returns the temporary file's path, which holds them until
    // Commit. A failure leaves the temporary file to Dispose.
    public string Add(string path, ReadOnlySpan<byte> bytes)
    {
        var stream = Stage(path, bufferSize: 0);
        try
        {
            using (stream)
            {
                stream.Write(bytes);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NamingTargets(exception, [_staged[^1]]);
        }

        return _staged[^1].Temporary;
    }

    public string Add(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var stream = Stage(path, bufferSize: 64 * 1024);
        try
        {
            using (stream)
            {
                write(stream);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NamingTargets(exception, [_staged[^1]]);
        }

        return _staged[^1].Temporary;
    }

    // Flushes every file added to disk, renames each over its target, then syncs each directory they are in, and the
    // parent of each directory created for them, once. Once it returns, every target added holds its new bytes
    // durably. A failure before the renames deletes every temporary file left and the directories created for them;
    // one in a directory's sync, after them, leaves the targets replaced but not known to be durable.
    public void Commit()
    {
        try
        {
            FlushAll();
            foreach (var (temporary, path) in _staged)
            {
                File.Move(temporary, path, overwrite: true);
            }
        }
        catch (Exception exception)
        {
            var staged = _staged.ToArray();
            Discard();
            if (exception is IOException or UnauthorizedAccessException)
            {
                throw NamingTargets(exception, staged);
            }

            throw;
        }

        var directories = _staged.Select(file => Path.GetDirectoryName(file.Path)!)
            .Concat(Enumerable.Reverse(_created).Select(created => Path.GetDirectoryName(created)!))
            .Distinct(StringComparer.Ordinal).ToList();
        _staged.Clear();
        _created.Clear();
        foreach (var directory in directories)
        {
            SyncDirectory(directory);
        }
    }

    // Deletes the temporary files of a batch that was not committed, and the directories created for them: no target
    // changes.
    public void Dispose() => Discard();

    private void Discard()
    {
        foreach (var (temporary, _) in _staged)
        {
            File.Delete(temporary);
        }

        _staged.Clear();
        for (var i = _created.Count - 1; i >= 0; i--)
        {
            try
            {
                Directory.Delete(_created[i]);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Not empty (another writer's file is in it) or not ours to remove: it stays, like that file.
            }
        }

        _created.Clear();
    }

    private void FlushAll()
    {
        var workers = Math.Min(ConcurrentFlushes, _staged.Count);
        if (workers <= 1)
        {
            foreach (var (temporary, _) in _staged)
            {
                FlushFile(temporary);
            }

            return;
        }

        var next = -1;
        ExceptionDispatchInfo? failure = null;
        var threads = new Thread[workers];
        for (var i = 0; i < workers; i++)
        {
            threads[i] = new Thread(
                () =>
                {
                    try
                    {
                        for (var index = Interlocked.Increment(ref next); index < _staged.Count && Volatile.Read(ref failure) is null; index = Interlocked.Increment(ref next))
                        {
                            FlushFile(_staged[index].Temporary);
                        }
                    }
                    catch (Exception exception)
                    {
                        Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(exception), null);
                    }
                },
                maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = "DataAccessAudit file flush",
            };
            threads[i].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        failure?.Throw();
    }

    // The temporary file's bytes, written and closed by Add, to disk: fsync on any descriptor of the file flushes them.
    internal static void FlushToDisk(string temporary)
    {
        using var handle = File.OpenHandle(temporary, FileMode.Open, FileAccess.Write);
        RandomAccess.FlushToDisk(handle);
    }

    // Creates the temporary file for path (the file its links end at), beside it, and records the pair.
    private FileStream Stage(string path, int bufferSize)
    {
        var full = Target(path);
        var directory = Path.GetDirectoryName(full)!;
        _created.AddRange(DirectorySync.CreateMissing(directory));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = _ownerOnly
            ? OwnerOnlyFile.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize)
            : new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize };

        FileStream stream;
        try
        {
            stream = new FileStream(temporary, options);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NamingTargets(exception, [(temporary, full)]);
        }

        _staged.Add((temporary, full));
        return stream;
    }

    // The file to replace: path, or the file its chain of symbolic links ends at (which need not exist yet).
    private static string Target(string path)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        return file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : file.FullName;
    }

    // The exception of a failed write, its message naming the file being replaced where it named a temporary file
    // (a directory without write permission, a full disk): the temporary file's name means nothing to the user, who
    // asked for the target, and it is gone once the write failed.
    private static Exception NamingTargets(Exception exception, IReadOnlyList<(string Temporary, string Path)> files)
    {
        var message = exception.Message;
        foreach (var (temporary, path) in files)
        {
            message = message.Replace(temporary, path, StringComparison.Ordinal);
        }

        return message == exception.Message ? exception
            : exception is UnauthorizedAccessException ? new UnauthorizedAccessException(message, exception)
            : new IOException(message, exception);
    }
}
