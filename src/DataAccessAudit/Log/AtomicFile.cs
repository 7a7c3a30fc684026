namespace DataAccessAudit.Log;

// Replaces files whole or not at all: the bytes go to a temporary file in the same directory (so the rename stays
// on one file system), are flushed to disk, and the temporary file is renamed over the target. A full disk or a
// crash leaves the old file (or none), never a truncated one. A target that is a symbolic link is followed: the file
// it points to is replaced, as writing through the link would, and the link stays (a key file kept on a mounted
// secret volume behind a link must get the new key, not lose the link).
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool ownerOnly)
    {
        var full = Target(path);
        var temporary = Stage(full, ownerOnly, bufferSize: 0, out var stream);
        try
        {
            using (stream)
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception exception)
        {
            File.Delete(temporary);
            if (exception is IOException or UnauthorizedAccessException)
            {
                throw NamingTargets(exception, [(temporary, full)]);
            }

            throw;
        }

        DirectorySync.Flush(Path.GetDirectoryName(full)!);
    }

    // Writes several files that belong together, such as the formats of one report: every file is written to its
    // temporary file first, and only when all were written are they renamed over the targets, so a failure while
    // writing (a full disk) leaves every earlier file as it was and no temporary file behind.
    public static void WriteAll(IReadOnlyList<(string Path, Action<Stream> Write)> files, bool ownerOnly)
    {
        var staged = new List<(string Temporary, string Path)>(files.Count);
        try
        {
            foreach (var (path, write) in files)
            {
                var full = Target(path);
                var temporary = Stage(full, ownerOnly, bufferSize: 64 * 1024, out var stream);
                staged.Add((temporary, full));
                using (stream)
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
            }

            foreach (var (temporary, path) in staged)
            {
                File.Move(temporary, path, overwrite: true);
            }
        }
        catch (Exception exception)
        {
            foreach (var (temporary, _) in staged)
            {
                File.Delete(temporary);
            }

            if (exception is IOException or UnauthorizedAccessException)
            {
                throw NamingTargets(exception, staged);
            }

            throw;
        }

        foreach (var directory in staged.Select(file => Path.GetDirectoryName(file.Path)!).Distinct(StringComparer.Ordinal))
        {
            DirectorySync.Flush(directory);
        }
    }

    // The file to replace: path, or the file its chain of symbolic links ends at (which need not exist yet).
    private static string Target(string path)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        return file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : file.FullName;
    }

    // Creates the temporary file for path, beside it.
    private static string Stage(string path, bool ownerOnly, int bufferSize, out FileStream stream)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = ownerOnly
            ? OwnerOnlyFile.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize)
            : new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize };

        try
        {
            stream = new FileStream(temporary, options);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw NamingTargets(exception, [(temporary, path)]);
        }

        return temporary;
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
