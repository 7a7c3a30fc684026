using System.Globalization;
using System.Text;
using DataAccessAudit.Log;

namespace DataAccessAudit.Transparency;

// The Merkle tree of a log directory's records, kept beside the segments under tree/: tiles (C2SP tlog-tiles) and
// the last signed checkpoint (tree/checkpoint). Derived data: the records are the truth, the signed checkpoint
// what a verifier trusts; tiles that do not reproduce the checkpoint are rebuilt from the records, while the log still
// holds them all (after retention, the tiles keep the only hashes of the records removed).
internal static class LogTree
{
    public const string DirectoryName = "tree";
    public const string CheckpointFileName = "checkpoint";

    public static string TreeDirectory(string logDirectory) => Path.Combine(logDirectory, DirectoryName);

    public static string CheckpointPath(string logDirectory) => Path.Combine(TreeDirectory(logDirectory), CheckpointFileName);

    // Removes the tree of a log directory (tiles and checkpoint), for a log being replaced by a new one whose records
    // the old tree does not cover. Under the tree's lock, so that a checkpoint being signed finishes first.
    public static void Delete(string logDirectory)
    {
        var tree = TreeDirectory(logDirectory);
        if (!Directory.Exists(tree))
        {
            return;
        }

        using (DirectoryLock.AcquireWaiting(tree))
        {
            Directory.Delete(tree, recursive: true);
        }
    }

    // The last checkpoint written into the log directory, or null when none was.
    public static SignedNote? ReadCheckpoint(string logDirectory)
    {
        var path = CheckpointPath(logDirectory);
        return File.Exists(path) ? SignedNote.ParseUtf8(SmallFile.ReadAllBytes(path)) : null;
    }

    // How many records the log's last checkpoint covers, as its file states it: null when the log has no checkpoint,
    // 0 when the file cannot be read or parsed. The signature is not checked: the writer asks only so as to delete
    // segments once a checkpoint covers the record of their removal (FileLog.CheckpointedRecords), and a checkpoint
    // that is not genuine fails verification whatever the writer does.
    public static long? CheckpointedRecords(string logDirectory)
    {
        try
        {
            return ReadCheckpoint(logDirectory) is { } note ? Checkpoint.Parse(note.Text).TreeSize : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    // Extends the tree to every complete record now in the log, signs a checkpoint of it with the key and writes it
    // to tree/checkpoint (replacing the file atomically). The records it covers are fsync'ed first, so that a
    // checkpoint never covers records a power loss could take back.
    // upTo, when given, stops the tree at that many records: the ones a chain verification just checked, so that
    // records a live writer appends meanwhile are not signed unchecked.
    public static SignedNote Update(string logDirectory, NoteSigningKey key, long upTo = long.MaxValue) =>
        Update(logDirectory, key, upTo, DirectorySync.Flush);

    // syncDirectory makes a directory's entries durable (the tree's in the log directory, the tiles', the
    // checkpoint's); tests observe it and make it fail.
    internal static SignedNote Update(string logDirectory, NoteSigningKey key, long upTo, Action<string> syncDirectory)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.ThrowIfCosigner(nameof(key));   // before the tiles of another origin's tree are rebuilt for nothing
        var tree = TreeDirectory(logDirectory);
        // Durably: the tiles and the checkpoint signed over them are lost with tree/ if a power loss takes back its
        // entry in the log directory.
        DirectorySync.Create(tree, syncDirectory);
        // One process extends a tree at a time: two would rebuild, append to and replace the same tiles, and leave
        // tiles that no longer reproduce the checkpoint either signed, which verification then reports as a broken
        // tree. A second updater (the app's checkpoint writer beside an
        // operator's access-report checkpoint, or two runs from a scheduler) waits for the first.
        using var treeLock = DirectoryLock.AcquireWaiting(tree);
        // The tiles appended stay in temporary files until Commit; a failure before it (records cut from the end, a
        // read error) leaves none of them behind.
        using var store = OpenTrusted(logDirectory, key);
        store.SyncDirectory = syncDirectory;
        var end = LogRecords.Read(logDirectory, store.Size, (index, line) =>
        {
            if (index >= upTo)
            {
                return false;
            }

            store.Append(MerkleHash.Leaf(line));
            return true;
        });
        if (end < store.Size)
        {
            throw new InvalidDataException($"The log '{logDirectory}' holds {end} records but its last checkpoint covers {store.Size}: records were cut from its end.");
        }

        store.Commit();
        SyncSegments(logDirectory);
        var checkpoint = new Checkpoint(key.Name, store.Size, MerkleProofs.Root(store, store.Size));
        var note = checkpoint.Sign(key);
        AtomicFile.Write(CheckpointPath(logDirectory), Encoding.UTF8.GetBytes(note.ToString()), ownerOnly: false, syncDirectory);
        return note;
    }

    // The store as of the last checkpoint, when its tiles reproduce the checkpoint's root; otherwise an empty one
    // (the tiles are then rebuilt from the records).
    private static TileStore OpenTrusted(string logDirectory, NoteSigningKey key)
    {
        var tree = TreeDirectory(logDirectory);
        string problem;
        try
        {
            if (ReadCheckpoint(logDirectory) is { } note)
            {
                var checkpoint = Checkpoint.Parse(note.Text);
                var store = TileStore.Open(tree, checkpoint.TreeSize);
                if (checkpoint.Origin != key.Name)
                {
                    problem = $"its last checkpoint is of '{checkpoint.Origin}', not of the key's name '{key.Name}' (a log's key is rotated under the same name)";
                }
                else if (MerkleProofs.Root(store, checkpoint.TreeSize).AsSpan().SequenceEqual(checkpoint.RootHash))
                {
                    return store;
                }
                else
                {
                    problem = "its tiles do not reproduce the root its last checkpoint signs";
                }
            }
            else
            {
                problem = "it has no checkpoint";
            }
        }
        catch (Exception exception) when (exception is FormatException or InvalidDataException or IOException)
        {
            problem = "its checkpoint or tiles cannot be read: " + exception.Message;
        }

        // Rebuilding hashes every record from the first. Once retention removed the oldest segments, the tiles hold
        // the only hashes of those records, without which no checkpoint covering the rest can be signed again or proof
        // made: they are left as they are, and nothing is signed.
        if (LogRecords.FirstHeld(logDirectory) is > 0 and var removed)
        {
            throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"The tree of the log '{logDirectory}' cannot be extended: {problem}, and it cannot be rebuilt from the records, since records 1 to {removed} are no longer in the log (removed by retention, or deleted). The tiles under '{Path.Combine(tree, "tile")}' were left as they are: restore '{tree}' from a copy, or sign with the log's key."));
        }

        var tiles = Path.Combine(tree, "tile");
        if (Directory.Exists(tiles))
        {
            Directory.Delete(tiles, recursive: true);
        }

        return TileStore.Open(tree, 0);
    }

    private static void SyncSegments(string logDirectory)
    {
        var segments = LogFormat.ListSegments(logDirectory);
        if (segments.Count == 0 || OperatingSystem.IsWindows())
        {
            return;
        }

        // The writer fsyncs closed segments before it starts the next: only the last may hold unsynced records.
        using var handle = File.OpenHandle(segments[^1].Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.FlushToDisk(handle);
    }
}
