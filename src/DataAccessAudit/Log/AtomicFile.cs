namespace DataAccessAudit.Log;

// Replaces a file whole or not at all: the bytes go to a temporary file in the same directory (so the rename stays
// on one file system), are flushed to disk, and the temporary file is renamed over the target. A full disk or a
// crash leaves the old file (or none), never a truncated one.
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool ownerOnly)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        DirectorySync.Flush(directory);
    }
}
