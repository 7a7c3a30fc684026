using System.Runtime.InteropServices;

namespace DataAccessAudit.Log;

// Makes a directory's entries durable (fsync on the directory) on Unix, so that a segment created, or a torn line
// moved aside, survives a power loss and not only a killed process. .NET has no API for it: a file handle cannot
// be opened on a directory.
//
// A directory created is itself an entry, in its parent: syncing the new directory makes the files in it durable but
// not the directory, which a power loss can take back with everything in it until its parent is synced too. Every
// directory the library creates to hold a file that must survive (tiles, the checkpoint, a report) is therefore
// created through Create or CreateMissing, and its parent synced.
internal static class DirectorySync
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // Creates the directory and its missing ancestors, and makes their entries durable: the parent of each one
    // created is synced, the innermost first, up to the first that existed. ownerOnly creates them 0700 on Unix, for
    // directories that hold records of who accessed whose data (a log, a spill file).
    public static void Create(string directory, bool ownerOnly = false) => Create(directory, Flush, ownerOnly);

    public static void Create(string directory, Action<string> sync, bool ownerOnly = false)
    {
        ArgumentNullException.ThrowIfNull(sync);
        var created = CreateMissing(directory, ownerOnly);
        for (var i = created.Count - 1; i >= 0; i--)
        {
            sync(Path.GetDirectoryName(created[i])!);
        }
    }

    // Creates the directory and its missing ancestors and returns those it created (full paths, the outermost first;
    // none when the directory existed), whose parents the caller syncs: AtomicFileBatch, once per batch.
    public static List<string> CreateMissing(string directory, bool ownerOnly = false)
    {
        var created = new List<string>();
        var missing = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        while (!Directory.Exists(missing) && Path.GetDirectoryName(missing) is { } parent)
        {
            created.Add(missing);
            missing = parent;
        }

        created.Reverse();
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            // One by one, the outermost first: Directory.CreateDirectory gives the mode to the last directory only,
            // and its missing ancestors the process's default.
            foreach (var path in created)
            {
                Directory.CreateDirectory(path, OwnerOnly);
            }
        }

        Directory.CreateDirectory(directory);
        return created;
    }

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals directory entries with the file's metadata.
        }

        var path = System.Text.Encoding.UTF8.GetBytes(directory + "\0");
        var descriptor = NativeMethods.Open(path, 0);
        if (descriptor < 0)
        {
            throw new IOException($"The audit log directory '{directory}' could not be opened to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.FSync(descriptor) != 0)
            {
                throw new IOException($"The audit log directory '{directory}' could not be synced (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int FSync(int descriptor);

        [DllImport("libc", EntryPoint = "close")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int descriptor);
    }
}
