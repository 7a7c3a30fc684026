namespace DataAccessAudit.Log;

/// <summary>
/// The one-writer rule of a log directory: the writer holds <c>writer.lock</c> in the directory open with an
/// exclusive lock (<c>flock</c> on Unix, a file opened without sharing on Windows) for its whole life, and on Unix an
/// exclusive <c>flock</c> on the directory itself (<see cref="DirectoryLock"/>), which still keeps a second writer out
/// when <c>writer.lock</c> is deleted while held. The OS releases both when the process ends, however it ends, so a
/// crashed writer never leaves a stale lock behind.
/// </summary>
/// <remarks>
/// Two writers on one directory would each append at the length they last knew and overwrite the other's
/// acknowledged records. Readers take no lock; they only ask whether it is held, to tell a line still being written
/// from a line cut off by a crash.
/// </remarks>
internal sealed class WriterLock : IDisposable
{
    /// <summary>The lock file's name; any file in a log directory that is not a segment is ignored by readers.</summary>
    public const string FileName = "writer.lock";

    // A reader asking whether the lock is held holds a shared lock for the length of one open() call: a writer starting
    // at that very moment tries again for a little while rather than failing its start-up.
    private const int Attempts = 50;

    private readonly FileStream _file;
    private readonly DirectoryLock? _directoryLock;

    private WriterLock(FileStream file, DirectoryLock? directoryLock)
    {
        _file = file;
        _directoryLock = directoryLock;
    }

    /// <summary>Takes the lock of <paramref name="directory"/> (which must exist), or fails saying who holds it.</summary>
    /// <exception cref="IOException">
    /// Another writer holds the lock, the lock file cannot be created, or something other than a regular file is in
    /// its place.
    /// </exception>
    public static WriterLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);

        // Readers take a FIFO or device under the lock's name for a lock nobody holds (IsHeld), so the writer must
        // not hold one.
        FileKind.ThrowIfNotRegular(path, "a writer lock file");
        var options = OwnerOnlyFile.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite);

        for (var attempt = 1; ; attempt++)
        {
            // The directory first: a writer whose writer.lock was deleted still holds it.
            if (!DirectoryLock.TryAcquire(directory, out var directoryLock))
            {
                if (attempt < Attempts)
                {
                    Thread.Sleep(10);
                    continue;
                }

                throw AlreadyWritten(directory, $"it holds the lock of the directory itself, whether or not '{path}' is there", null);
            }

            try
            {
                return new WriterLock(new FileStream(path, options), directoryLock);
            }
            catch (UnauthorizedAccessException exception)
            {
                directoryLock?.Dispose();
                throw new IOException($"The audit log directory '{directory}' cannot be opened for writing: {exception.Message}", exception);
            }
            catch (IOException exception) when (exception is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
            {
                directoryLock?.Dispose();
                if (attempt < Attempts)
                {
                    Thread.Sleep(10);
                    continue;
                }

                throw AlreadyWritten(directory, $"it holds '{path}'", exception);
            }
            catch (IOException exception)
            {
                directoryLock?.Dispose();
                throw new IOException($"The audit log directory '{directory}' cannot be opened for writing: {exception.Message}", exception);
            }
        }
    }

    private static IOException AlreadyWritten(string directory, string holding, Exception? inner) =>
        new(
            $"The audit log directory '{directory}' is already being written by another process ({holding}): a log directory has one writer. " +
            "Give each app instance its own log directory, or record into the shared store for apps on many machines.",
            inner);

    /// <summary>Gets whether a writer holds the lock of <paramref name="directory"/> right now.</summary>
    /// <remarks>
    /// On Unix the directory's own lock is asked first, so that a writer whose <c>writer.lock</c> was deleted still
    /// counts. Something other than a regular file under the lock's name (a FIFO, a device, a directory) is never
    /// opened, since opening a FIFO blocks until something writes to it: no writer holds it, because the writer refuses
    /// to start on one (<see cref="Acquire"/>).
    /// </remarks>
    public static bool IsHeld(string directory) => DirectoryLock.IsHeld(directory) || IsFileHeld(directory);

    private static bool IsFileHeld(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (FileKind.DescribeIfNotRegular(path) is not null)
        {
            return false;
        }

        try
        {
            // On Unix a read-only open takes a shared flock, which fails while the writer holds its exclusive one; on
            // Windows the writer's open without sharing makes any other open fail.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            return false;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _directoryLock?.Dispose();
    }
}
