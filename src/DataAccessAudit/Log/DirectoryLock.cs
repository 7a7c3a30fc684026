using System.Runtime.InteropServices;

namespace DataAccessAudit.Log;

// The one-writer rule's hold on the log directory itself, on Unix: an exclusive flock on a descriptor of the directory.
// writer.lock alone cannot keep the rule there, since a file can be unlinked while it is locked (a cleanup script
// taking it for a stale lock): the next writer would create a new writer.lock, lock it, and append at the length it
// read while the first went on writing at the length it knew, overwriting the second's acknowledged records. A
// directory holding segments cannot be removed, and one renamed takes its segments with it, so while this lock is
// held no second writer can start on the directory's files, however they are handled. On Windows writer.lock is
// enough: it is opened without delete sharing, so it cannot be removed while it is held.
internal sealed class DirectoryLock : IDisposable
{
    private const int LockShared = 1;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int LockRelease = 8;

    // EINTR, the same on every platform Flags knows: a signal cut a blocking wait short, and it is waited for again.
    private const int Interrupted = 4;

    private int _descriptor;

    private DirectoryLock(int descriptor) => _descriptor = descriptor;

    // Takes the exclusive lock of directory: false when another writer holds it; true with lockTaken null where
    // directories cannot be locked (Windows, where writer.lock keeps the rule; a file system without flock, such as
    // some network file systems, where nothing can).
    public static bool TryAcquire(string directory, out DirectoryLock? lockTaken)
    {
        lockTaken = null;
        if (Flags() is not { } flags)
        {
            return true;
        }

        var descriptor = Open(directory, flags.CloseOnExec);
        if (NativeMethods.Flock(descriptor, LockExclusive | LockNonBlocking) == 0)
        {
            lockTaken = new DirectoryLock(descriptor);
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        _ = NativeMethods.Close(descriptor);
        return error != flags.WouldBlock;
    }

    // Takes the exclusive lock of directory, waiting while another process (or another open of it in this one) holds
    // it: for work that must not run twice at once on what the directory holds, such as extending a log's tree or a
    // witness accepting a checkpoint, where the second should follow the first rather than fail. Null where
    // directories cannot be locked. The lock goes with the process, however it ends.
    // The wait is the kernel's (a blocking flock), woken when the holder releases the lock or ends.
    public static DirectoryLock? AcquireWaiting(string directory)
    {
        if (Flags() is not { } flags)
        {
            return null;
        }

        var descriptor = Open(directory, flags.CloseOnExec);
        while (NativeMethods.Flock(descriptor, LockExclusive) != 0)
        {
            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                // A file system without flock: nothing can be locked there, as TryAcquire finds.
                _ = NativeMethods.Close(descriptor);
                return null;
            }
        }

        return new DirectoryLock(descriptor);
    }

    // Whether a writer holds the lock of directory now: a shared, non-blocking probe released at once. False where
    // directories cannot be locked.
    public static bool IsHeld(string directory)
    {
        if (Flags() is not { } flags)
        {
            return false;
        }

        int descriptor;
        try
        {
            descriptor = Open(directory, flags.CloseOnExec);
        }
        catch (IOException)
        {
            return false;
        }

        try
        {
            if (NativeMethods.Flock(descriptor, LockShared | LockNonBlocking) == 0)
            {
                _ = NativeMethods.Flock(descriptor, LockRelease);
                return false;
            }

            return Marshal.GetLastPInvokeError() == flags.WouldBlock;
        }
        finally
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    public void Dispose()
    {
        var descriptor = Interlocked.Exchange(ref _descriptor, -1);
        if (descriptor >= 0)
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    // O_CLOEXEC, so that a process the app starts does not inherit the lock and keep it after the app ended; and
    // EWOULDBLOCK, which says another holds the lock. Null on platforms whose values are not known here.
    private static (int CloseOnExec, int WouldBlock)? Flags() =>
        OperatingSystem.IsLinux() ? (0x80000, 11)
        : OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() ? (0x1000000, 35)
        : OperatingSystem.IsFreeBSD() ? (0x100000, 35)
        : null;

    private static int Open(string directory, int closeOnExec)
    {
        var path = System.Text.Encoding.UTF8.GetBytes(directory + "\0");
        var descriptor = NativeMethods.Open(path, closeOnExec); // O_RDONLY is 0
        if (descriptor < 0)
        {
            throw new IOException($"The directory '{directory}' could not be opened to lock it (errno {Marshal.GetLastPInvokeError()}).");
        }

        return descriptor;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Flock(int descriptor, int operation);

        [DllImport("libc", EntryPoint = "close")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int descriptor);
    }
}
