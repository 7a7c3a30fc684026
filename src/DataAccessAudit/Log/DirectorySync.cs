using System.Runtime.InteropServices;

namespace DataAccessAudit.Log;

// Makes a directory's entries durable (fsync on the directory) on Unix, so that a segment created, or a torn line
// moved aside, survives a power loss and not only a killed process. .NET has no API for it: a file handle cannot
// be opened on a directory.
internal static class DirectorySync
{
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
