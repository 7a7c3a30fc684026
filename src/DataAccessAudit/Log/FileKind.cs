namespace DataAccessAudit.Log;

// Tells a regular file from the other things a directory entry can be. A log segment must be a regular file: opening a
// FIFO for reading blocks until something writes to it (a reader or the writer would hang), and a device is no file of
// records. .NET does not expose the file type, so on Linux it is read with statx(2); elsewhere only a directory is told
// apart (a FIFO there is met when it is opened).
internal static class FileKind
{
    // The rule for every file of a log directory that the library opens: the segments and writer.lock. expected says
    // what the file should have been, such as "a log segment file".
    public static void ThrowIfNotRegular(string path, string expected)
    {
        if (DescribeIfNotRegular(path) is { } kind)
        {
            throw new IOException($"'{path}' is {kind}, not {expected}; move it out of the log directory.");
        }
    }

    // What path is when it is not a regular file (symbolic links followed), such as "a FIFO (named pipe)"; null
    // for a regular file, or when it cannot be told (the entry vanished, or the platform has no way to ask).
    public static string? DescribeIfNotRegular(string path)
    {
        if (Directory.Exists(path))
        {
            return "a directory";
        }

        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var mode = Statx.ModeOf(path);
        return (mode & 0xF000) switch
        {
            0 or 0x8000 => null,
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }
}
