namespace DataAccessAudit.Log;

// Every file the library creates holds records, keys or a lock of its owner's: on Unix it is created readable and
// writable by the owner only (0600), never widened later by the process's umask.
internal static class OwnerOnlyFile
{
    public static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share = FileShare.None, int bufferSize = 0)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
