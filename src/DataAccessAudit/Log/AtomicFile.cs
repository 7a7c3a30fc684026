namespace DataAccessAudit.Log;

// Replaces files whole or not at all (AtomicFileBatch: a temporary file beside the target, flushed to disk and renamed
// over it, then the directory synced). A full disk or a crash leaves the old file (or none), never a truncated one.
// syncDirectory makes a directory's entries durable (AtomicFileBatch.SyncDirectory, DirectorySync.Flush when null);
// tests observe it.
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool ownerOnly, Action<string>? syncDirectory = null)
    {
        using var batch = new AtomicFileBatch(ownerOnly) { SyncDirectory = syncDirectory ?? DirectorySync.Flush };
        batch.Add(path, bytes);
        batch.Commit();
    }

    // Writes several files that belong together, such as the formats of one report: every file is written to its
    // temporary file first, and only when all were written are they renamed over the targets, so a failure while
    // writing (a full disk) leaves every earlier file as it was and no temporary file behind.
    public static void WriteAll(IReadOnlyList<(string Path, Action<Stream> Write)> files, bool ownerOnly, Action<string>? syncDirectory = null)
    {
        using var batch = new AtomicFileBatch(ownerOnly) { SyncDirectory = syncDirectory ?? DirectorySync.Flush };
        foreach (var (path, write) in files)
        {
            batch.Add(path, write);
        }

        batch.Commit();
    }
}
