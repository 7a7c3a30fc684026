using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DataAccessAudit.Transparency;

/// <summary>
/// The Merkle tree and signed checkpoints of a file log directory: sign a checkpoint of the records written so far,
/// prove that one record is in the log, prove that the log extends an older checkpoint, and verify the whole log
/// with the log's public key only.
/// </summary>
/// <remarks>
/// The tree is kept under <c>tree/</c> in the log directory (C2SP <c>tlog-tiles</c> layout) with the last signed
/// checkpoint in <c>tree/checkpoint</c>; see docs/log-format.md. The leaves are the log's record lines, in order:
/// leaf i is the record with sequence number i + 1.
/// </remarks>
public static class FileLogTree
{
    private const int BatchRecords = 1 << 16;

    // Records copied and hashed at a time while a batch is read; divides BatchRecords.
    private const int ChunkRecords = 1 << 12;

    /// <summary>Extends the tree to every complete record in the log and signs a checkpoint of it, written to <c>tree/checkpoint</c>.</summary>
    /// <param name="logDirectory">The log directory.</param>
    /// <param name="key">The log's signing key; its name is the checkpoint's origin.</param>
    /// <returns>The signed checkpoint.</returns>
    /// <exception cref="InvalidDataException">The log holds fewer records than its last checkpoint covers.</exception>
    /// <exception cref="ArgumentException">The key is a witness's cosigner key, not a log's signing key.</exception>
    public static SignedNote Checkpoint(string logDirectory, NoteSigningKey key) => LogTree.Update(logDirectory, key);

    /// <summary>
    /// Verifies the log's chain, then extends the tree to the records verified and signs a checkpoint of it, written to
    /// <c>tree/checkpoint</c>: a record changed, removed or reordered before its first checkpoint is refused rather than
    /// sealed, since from then on only the chain could show it and the signed tree would vouch for it.
    /// </summary>
    /// <remarks>
    /// The chain is verified from the log's first record (about a million records a second); records a live writer
    /// appends after they were verified are left to the next checkpoint.
    /// </remarks>
    /// <param name="logDirectory">The log directory.</param>
    /// <param name="key">The log's signing key; its name is the checkpoint's origin.</param>
    /// <param name="chainKeys">The log's chain keys by id (<see cref="DataAccessAudit.Log.FileLogKeyRing.Keys"/>), or null for an unkeyed log.</param>
    /// <returns>The signed checkpoint.</returns>
    /// <exception cref="InvalidDataException">
    /// The chain is broken (the break is named), or was not verified because the key of a segment is not in
    /// <paramref name="chainKeys"/>, or the log holds fewer records than its last checkpoint covers; nothing is signed.
    /// </exception>
    /// <exception cref="ArgumentException">The key is a witness's cosigner key, not a log's signing key.</exception>
    public static SignedNote Checkpoint(string logDirectory, NoteSigningKey key, IReadOnlyDictionary<string, byte[]>? chainKeys)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.ThrowIfCosigner(nameof(key));
        return SignVerified(logDirectory, key, DataAccessAudit.Log.FileLogVerifier.Verify(logDirectory, chainKeys));
    }

    // Signs the records a verification of the log's chain checked, or refuses when it did not find the chain intact;
    // for a caller that has verified already (access-report checkpoint, which verifies once to tell a keyed log given
    // no keys).
    internal static SignedNote SignVerified(string logDirectory, NoteSigningKey key, DataAccessAudit.Log.LogVerificationResult chain)
    {
        if (!chain.IsIntact)
        {
            throw new InvalidDataException(chain.Verdict == DataAccessAudit.Log.LogVerdict.Broken
                ? $"No checkpoint was signed: the chain of the log '{logDirectory}' is {chain}"
                : $"No checkpoint was signed: the chain of the log '{logDirectory}' could not be verified: {chain}");
        }

        return LogTree.Update(logDirectory, key, chain.LastSequence);
    }

    /// <summary>Reads the last checkpoint written into the log directory, without verifying it.</summary>
    /// <param name="logDirectory">The log directory.</param>
    /// <returns>The signed checkpoint, or null when the log has none.</returns>
    public static SignedNote? ReadCheckpoint(string logDirectory) => LogTree.ReadCheckpoint(logDirectory);

    /// <summary>Proves that the record with the given sequence number is in the tree of the log's last checkpoint.</summary>
    /// <param name="logDirectory">The log directory.</param>
    /// <param name="sequence">The record's sequence number (1 for the first record).</param>
    /// <returns>The proof, verified against the checkpoint.</returns>
    /// <exception cref="InvalidOperationException">The log has no checkpoint yet, or none covering the record.</exception>
    /// <exception cref="InvalidDataException">The proof does not verify: a tile of the tree is missing or corrupt (named), or the record was changed after the checkpoint was signed.</exception>
    public static InclusionProof ProveRecord(string logDirectory, long sequence)
    {
        var (note, checkpoint) = LastCheckpoint(logDirectory);
        if (sequence < 1 || sequence > checkpoint.TreeSize)
        {
            throw new InvalidOperationException($"Record {sequence} is not covered by the log's last checkpoint, which covers records 1 to {checkpoint.TreeSize}.");
        }

        string? record = null;
        LogRecords.Read(logDirectory, sequence - 1, (index, line) =>
        {
            record = Encoding.UTF8.GetString(line);
            return false;
        });
        if (record is null)
        {
            throw new InvalidOperationException($"Record {sequence} is no longer in the log '{logDirectory}'.");
        }

        var store = TileStore.Open(LogTree.TreeDirectory(logDirectory), checkpoint.TreeSize);
        var path = MerkleProofs.Inclusion(store, sequence - 1, checkpoint.TreeSize);
        // A proof is checked before it is handed out: one that fails at the auditor's would read as a forged record.
        if (!MerkleProofs.VerifyInclusion(sequence - 1, checkpoint.TreeSize, MerkleHash.Leaf(Encoding.UTF8.GetBytes(record)), path, checkpoint.RootHash))
        {
            throw new InvalidDataException("No proof was made: " + (CorruptTree(logDirectory, store, checkpoint)
                ?? string.Create(CultureInfo.InvariantCulture, $"record {sequence} in the log '{logDirectory}' is not the record its signed checkpoint covers at that position: it was changed after the checkpoint was signed.")));
        }

        return new InclusionProof(record, sequence - 1, path, note);
    }

    /// <summary>Proves that the access with the given event id is in the tree of the log's last checkpoint (the first record with that id the log still holds: retention may have removed older ones).</summary>
    /// <param name="logDirectory">The log directory.</param>
    /// <param name="eventId">The access event's id.</param>
    /// <returns>The proof, or null when no record under the checkpoint has that id.</returns>
    public static InclusionProof? ProveEvent(string logDirectory, string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        var (_, checkpoint) = LastCheckpoint(logDirectory);
        var prefix = EventPrefix(eventId);
        long found = -1;
        // From the first record the log still holds: retention may have removed the oldest, whose hashes the tiles
        // keep, so the records after them are still proven.
        LogRecords.Read(logDirectory, LogRecords.FirstHeld(logDirectory), (index, line) =>
        {
            if (index >= checkpoint.TreeSize)
            {
                return false;
            }

            if (line.StartsWith(prefix))
            {
                found = index;
                return false;
            }

            return true;
        });
        return found < 0 ? null : ProveRecord(logDirectory, found + 1);
    }

    /// <summary>Proves that the tree of the log's last checkpoint extends the tree at an older size.</summary>
    /// <param name="logDirectory">The log directory.</param>
    /// <param name="fromSize">The older tree's size (of a checkpoint someone kept).</param>
    /// <returns>The proof, from that size to the last checkpoint's (which it carries), verified against the checkpoint.</returns>
    /// <exception cref="InvalidOperationException">The log has no checkpoint yet, or it covers fewer records than <paramref name="fromSize"/>.</exception>
    /// <exception cref="InvalidDataException">A tile of the tree is missing or corrupt (named): the proof would not verify.</exception>
    public static ConsistencyProof ProveConsistency(string logDirectory, long fromSize) => ProveConsistency(logDirectory, fromSize, null);

    /// <summary>
    /// Proves that the tree of the log's last checkpoint extends the tree of a checkpoint of the log kept earlier: a
    /// proof carrying both signed checkpoints, which anyone holding the log's public key can check alone.
    /// </summary>
    /// <param name="logDirectory">The log directory.</param>
    /// <param name="since">A signed checkpoint of this log kept earlier (its signature is the verifier's to check).</param>
    /// <returns>The proof, from that checkpoint's size to the last checkpoint's, verified against both.</returns>
    /// <exception cref="InvalidOperationException">The log has no checkpoint yet, <paramref name="since"/> is of another log, or the last checkpoint covers fewer records.</exception>
    /// <exception cref="InvalidDataException">A tile of the tree is missing or corrupt (named), or the log's tree does not extend <paramref name="since"/>: the log was rewritten below it.</exception>
    /// <exception cref="FormatException"><paramref name="since"/> is not a checkpoint.</exception>
    public static ConsistencyProof ProveConsistency(string logDirectory, SignedNote since)
    {
        ArgumentNullException.ThrowIfNull(since);
        var older = Transparency.Checkpoint.Parse(since.Text);
        var (_, checkpoint) = LastCheckpoint(logDirectory);
        if (older.Origin != checkpoint.Origin)
        {
            throw new InvalidOperationException($"The checkpoint given is of '{older.Origin}', the log's of '{checkpoint.Origin}'.");
        }

        var proof = ProveConsistency(logDirectory, older.TreeSize, since);
        // The proof from the tiles shows that the last checkpoint extends the tree they hold at that size; the one
        // given is extended only if it signs that same tree.
        return proof.Verify(older, checkpoint)
            ? proof
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"No proof was made: the log's last checkpoint does not extend the one given at {older.TreeSize} records: the log's first {older.TreeSize} records are not those it signed, the past was rewritten."));
    }

    private static ConsistencyProof ProveConsistency(string logDirectory, long fromSize, SignedNote? since)
    {
        var (note, checkpoint) = LastCheckpoint(logDirectory);
        if (fromSize < 0 || fromSize > checkpoint.TreeSize)
        {
            throw new InvalidOperationException($"The log's last checkpoint covers {checkpoint.TreeSize} records: it cannot extend a tree of {fromSize}.");
        }

        var store = TileStore.Open(LogTree.TreeDirectory(logDirectory), checkpoint.TreeSize);
        var path = MerkleProofs.Consistency(store, fromSize, checkpoint.TreeSize);
        // Checked as a witness will check it, with the older root read from the same tiles: every hash of the proof
        // goes into the newer root, which the checkpoint signs.
        if (!MerkleProofs.VerifyConsistency(fromSize, checkpoint.TreeSize, MerkleProofs.Root(store, fromSize), checkpoint.RootHash, path))
        {
            throw new InvalidDataException("No proof was made: " + (CorruptTree(logDirectory, store, checkpoint)
                ?? $"the tree under '{LogTree.TreeDirectory(logDirectory)}' does not prove that its checkpoint extends the tree of {fromSize} records."));
        }

        return new ConsistencyProof(fromSize, checkpoint.TreeSize, path, note, since);
    }

    /// <summary>
    /// Verifies the whole log with public keys only: the last checkpoint is signed by one of the keys, the log's
    /// records hash to its root, and, given an older checkpoint (one an auditor kept), the log extends it.
    /// </summary>
    /// <param name="logDirectory">The log directory.</param>
    /// <param name="keys">The log's public keys (old and new, across a key rotation).</param>
    /// <param name="since">A signed checkpoint of the same log kept earlier, or null: the log's own checkpoint must be at least as large (else the log was rolled back) and extend it.</param>
    /// <param name="cancellationToken">Stops the verification.</param>
    /// <returns>What was found.</returns>
    /// <exception cref="ArgumentException">A key in <paramref name="keys"/> is a witness's cosigner key.</exception>
    public static LogTreeVerification Verify(string logDirectory, IEnumerable<NoteVerifierKey> keys, SignedNote? since = null, CancellationToken cancellationToken = default)
    {
        var keyList = NoteVerifierKey.LogKeys(keys, nameof(keys));
        SignedNote? note;
        try
        {
            note = LogTree.ReadCheckpoint(logDirectory);
        }
        catch (FormatException exception)
        {
            return Broken(null, [], 0, $"the checkpoint file is malformed: {exception.Message}");
        }

        if (note is null)
        {
            return Broken(null, [], 0, $"the log '{logDirectory}' has no signed checkpoint ({LogTree.DirectoryName}/{LogTree.CheckpointFileName})");
        }

        Checkpoint checkpoint;
        IReadOnlyList<NoteVerifierKey> signers;
        try
        {
            (checkpoint, signers) = Transparency.Checkpoint.Open(note.ToString(), keyList);
        }
        catch (Exception exception) when (exception is NoteVerificationException or FormatException)
        {
            return Broken(null, [], 0, $"the log's checkpoint is not trusted: {exception.Message}");
        }

        Checkpoint? older = null;
        if (since is not null)
        {
            try
            {
                (older, _) = Transparency.Checkpoint.Open(since.ToString(), keyList);
            }
            catch (Exception exception) when (exception is NoteVerificationException or FormatException)
            {
                return Broken(checkpoint, signers, 0, $"the checkpoint kept earlier is not trusted: {exception.Message}");
            }

            if (older.Origin != checkpoint.Origin)
            {
                return Broken(checkpoint, signers, 0, $"the checkpoint kept earlier is of '{older.Origin}', the log's of '{checkpoint.Origin}'");
            }

            // A log only grows: its own checkpoint smaller than one it published before was put back in place of a
            // newer one, which hides what the newer one covers from anyone who checks only the log's own.
            if (older.TreeSize > checkpoint.TreeSize)
            {
                return Broken(checkpoint, signers, 0, $"the log's checkpoint covers {checkpoint.TreeSize} records, fewer than the {older.TreeSize} of the checkpoint kept earlier: the log was rolled back (an older checkpoint put back in place of the newer, or records cut and a smaller tree signed)");
            }
        }

        // The tiles are checked against one another on another core while the records are read and hashed: the two
        // checks share nothing. Whatever the records show, the tile check is over before Verify returns.
        var tileCheck = Task.Run(() => CheckTiles(logDirectory, checkpoint, cancellationToken), CancellationToken.None);
        try
        {
            return VerifyRecords(logDirectory, checkpoint, signers, older, tileCheck, cancellationToken);
        }
        finally
        {
            tileCheck.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).GetAwaiter().GetResult();
        }
    }

    // The records against the checkpoints' roots (and the tiles, checked by tileCheck, once the records are those
    // signed), and the tiles' consistency proof from the older checkpoint.
    private static LogTreeVerification VerifyRecords(string logDirectory, Checkpoint checkpoint, IReadOnlyList<NoteVerifierKey> signers, Checkpoint? older, Task<string?> tileCheck, CancellationToken cancellationToken)
    {
        long[] targets = older is null ? [checkpoint.TreeSize] : [checkpoint.TreeSize, older.TreeSize];
        Dictionary<long, byte[]> roots;
        long records;
        var removed = LogRecords.FirstHeld(logDirectory);
        try
        {
            (roots, records) = RootsOfRecords(logDirectory, targets, removed, RemovedLeaves(logDirectory, checkpoint, removed), cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            return Broken(checkpoint, signers, 0, exception.Message);
        }

        if (older is not null && records < older.TreeSize)
        {
            return Broken(checkpoint, signers, records, $"the log holds {records} records but the older checkpoint covers {older.TreeSize}: records were deleted or cut from its end");
        }

        if (older is not null && !roots[older.TreeSize].AsSpan().SequenceEqual(older.RootHash))
        {
            return Broken(checkpoint, signers, records, $"the log's first {older.TreeSize} records are not those of the older checkpoint: the past was rewritten{FirstDifference(logDirectory, checkpoint, older.TreeSize)}");
        }

        if (records < checkpoint.TreeSize)
        {
            return Broken(checkpoint, signers, records, $"the log holds {records} records but its signed checkpoint covers {checkpoint.TreeSize}: records were deleted or cut from its end{FirstDifference(logDirectory, checkpoint, checkpoint.TreeSize)}");
        }

        if (!roots[checkpoint.TreeSize].AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            return Broken(checkpoint, signers, records, $"the log's records do not hash to the root its checkpoint signs: a record was changed, inserted, deleted or reordered{FirstDifference(logDirectory, checkpoint, checkpoint.TreeSize)}");
        }

        if (tileCheck.GetAwaiter().GetResult() is { } corrupt)
        {
            return Broken(checkpoint, signers, records, corrupt);
        }

        long? consistentFrom = null;
        if (older is not null && Directory.Exists(TileDirectory(logDirectory)))
        {
            // The proof a witness would be given, from the tiles: checks that the tiles serve the same tree.
            var proof = ProveConsistency(logDirectory, older.TreeSize);
            if (!proof.Verify(older, checkpoint))
            {
                return Broken(checkpoint, signers, records, $"the tree's tiles do not prove that the checkpoint at {checkpoint.TreeSize} extends the one at {older.TreeSize}");
            }

            consistentFrom = older.TreeSize;
        }

        return new LogTreeVerification(checkpoint, signers, records, null, consistentFrom ?? (older is not null ? older.TreeSize : null)) { RemovedUpToSequence = removed };
    }

    // The leaf hashes of the records retention removed (the first `removed`), from the tiles, which keep them: the
    // records kept are then checked against the signed root as before, and the removed ones stand for exactly the
    // hashes the checkpoint signed. Only when a removal record the checkpoint signs accounts for them, as for the chain:
    // a log whose first segments were deleted without one is broken. Throws InvalidDataException saying which.
    private static TileStore? RemovedLeaves(string logDirectory, Checkpoint checkpoint, long removed)
    {
        if (removed == 0)
        {
            return null;
        }

        var records = string.Create(CultureInfo.InvariantCulture, $"records 1 to {removed} are no longer in the log");
        if (removed > checkpoint.TreeSize)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{records} (removed by retention), but the log's checkpoint covers only {checkpoint.TreeSize}: no checkpoint signs the records kept. Sign one (the writer's checkpoints, or 'access-report checkpoint') before retention removes more."));
        }

        if (!LogRecords.HasRemovalUpTo(logDirectory, removed, checkpoint.TreeSize))
        {
            throw new InvalidDataException($"{records}, and no removal record under the checkpoint accounts for them: the oldest segments were deleted, not removed by retention.");
        }

        if (!Directory.Exists(TileDirectory(logDirectory)))
        {
            throw new InvalidDataException($"{records} (removed by retention), and the tree's tiles, which keep their hashes, are missing ('{TileDirectory(logDirectory)}'): the tree cannot be recomputed without them.");
        }

        try
        {
            return TileStore.Open(LogTree.TreeDirectory(logDirectory), checkpoint.TreeSize);
        }
        catch (IOException exception)
        {
            throw new InvalidDataException($"{records} (removed by retention), and the tree's tiles, which keep their hashes, cannot be read: {exception.Message}", exception);
        }
    }

    // What is wrong with the stored tiles of the checkpoint's tree, or null when every one holds the hashes of the tree
    // the checkpoint signs. A log copied without its tiles has none to check: the records alone verify it.
    private static string? CheckTiles(string logDirectory, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(TileDirectory(logDirectory)))
        {
            return null;
        }

        try
        {
            var problem = CorruptTree(logDirectory, TileStore.Open(LogTree.TreeDirectory(logDirectory), checkpoint.TreeSize), checkpoint, cancellationToken);
            return problem is null ? null : "the records are those its checkpoint signs, but " + problem;
        }
        catch (InvalidDataException exception)
        {
            return "the records are those its checkpoint signs, but a tile of its tree cannot be read: " + exception.Message;
        }
    }

    // Which stored tile keeps the tree from being the one the checkpoint signs, as a sentence, or null when none does.
    private static string? CorruptTree(string logDirectory, TileStore store, Checkpoint checkpoint, CancellationToken cancellationToken = default)
    {
        string problem;
        if (!MerkleProofs.Root(store, checkpoint.TreeSize).AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            problem = "the last tiles of its levels do not hash to the root the checkpoint signs";
        }
        else if (store.FirstInconsistentTile(cancellationToken) is { } tile)
        {
            problem = $"its tile {tile} does not hold the hashes the tiles above it sign";
        }
        else
        {
            return null;
        }

        return $"the tree under '{LogTree.TreeDirectory(logDirectory)}' is not the one its signed checkpoint covers: {problem}, so proofs made from it would not verify. The tiles are derived from the records: remove '{TileDirectory(logDirectory)}' and sign a checkpoint to rebuild them.";
    }

    private static string TileDirectory(string logDirectory) => Path.Combine(LogTree.TreeDirectory(logDirectory), "tile");

    private static LogTreeVerification Broken(Checkpoint? checkpoint, IReadOnlyList<NoteVerifierKey> signers, long records, string problem) =>
        new(checkpoint, signers, records, problem, null);

    private static (SignedNote Note, Checkpoint Checkpoint) LastCheckpoint(string logDirectory)
    {
        var note = LogTree.ReadCheckpoint(logDirectory)
            ?? throw new InvalidOperationException($"The log '{logDirectory}' has no checkpoint yet ({LogTree.DirectoryName}/{LogTree.CheckpointFileName}): it is written by a writer configured with a checkpoint key, or by 'access-report checkpoint'.");
        return (note, Transparency.Checkpoint.Parse(note.Text));
    }

    // An access-event line starts with the schema and then the id, as the writer serialises them.
    private static byte[] EventPrefix(string eventId)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("schema", Interchange.AccessEventJson.Schema);
            json.WriteString("id", eventId);
            json.WriteString("t", string.Empty);
            json.WriteEndObject();
        }

        var written = buffer.WrittenSpan;
        return written[..(written.Length - "\"t\":\"\"}".Length)].ToArray();
    }

    // Where the records first differ from the tree the checkpoint signs, when its tiles still reproduce it.
    private static string FirstDifference(string logDirectory, Checkpoint checkpoint, long size)
    {
        try
        {
            var store = TileStore.Open(LogTree.TreeDirectory(logDirectory), checkpoint.TreeSize);
            if (!MerkleProofs.Root(store, checkpoint.TreeSize).AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                return string.Empty;
            }

            long first = -1;
            Span<byte> expected = stackalloc byte[MerkleHash.Size];
            var end = LogRecords.Read(logDirectory, 0, (index, line) =>
            {
                if (index >= size)
                {
                    return false;
                }

                Span<byte> tile = stackalloc byte[MerkleHash.Size];
                store.Read(0, index, tile);
                if (!tile.SequenceEqual(MerkleHash.Leaf(line)))
                {
                    first = index;
                    return false;
                }

                return true;
            });
            if (first < 0 && end < size)
            {
                first = end;
            }

            return first < 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (first difference at record {first + 1})");
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            return string.Empty;
        }
    }

    // The tree's roots at the given sizes, over the log's records, and the number of records. Leaf hashes are
    // computed in parallel a chunk at a time and gathered a batch at a time; a batch that starts at a multiple of its
    // size goes into the frontier as a complete subtree, also computed in parallel.
    // removed: how many records retention removed (the log's first segment's prevSeq); removedLeaves: the tiles holding
    // their leaf hashes, null when none was removed.
    private static (Dictionary<long, byte[]> Roots, long Records) RootsOfRecords(string logDirectory, long[] targets, long removed, TileStore? removedLeaves, CancellationToken cancellationToken)
    {
        var roots = new Dictionary<long, byte[]>();
        var frontier = new MerkleFrontier();
        if (targets.Contains(0))
        {
            roots[0] = frontier.Root();
        }

        if (removedLeaves is not null)
        {
            var leaf = new byte[MerkleHash.Size];
            for (long index = 0; index < removed; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    removedLeaves.Read(0, index, leaf);
                }
                catch (IOException exception)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"records 1 to {removed} are no longer in the log (removed by retention), and the hash of record {index + 1}, which the tree's tiles keep, cannot be read: {exception.Message}"), exception);
                }

                frontier.Append(leaf);
                if (Array.IndexOf(targets, frontier.Size) >= 0)
                {
                    roots[frontier.Size] = frontier.Root();
                }
            }
        }

        // The records are copied a chunk at a time into one small buffer, reused, and the chunk's leaves hashed on every
        // core into the batch's leaves: a batch's records are never held at once (a buffer of tens of megabytes, new
        // pages each time, cost more in page faults than hashing them).
        var chunk = new ArrayBufferWriter<byte>(ChunkRecords * 1024);
        var ends = new int[ChunkRecords];
        var pending = 0;
        var leaves = new byte[BatchRecords * MerkleHash.Size];
        var count = 0;

        void HashChunk()
        {
            if (pending == 0)
            {
                return;
            }

            var bytes = chunk.WrittenMemory;
            var lineEnds = ends;
            var n = pending;
            var offset = count;
            Parallel.For(0, (n + 1023) / 1024, part =>
            {
                for (var i = part * 1024; i < Math.Min(n, (part + 1) * 1024); i++)
                {
                    var start = i == 0 ? 0 : lineEnds[i - 1];
                    MerkleHash.Leaf(bytes.Span[start..lineEnds[i]], leaves.AsSpan((offset + i) * MerkleHash.Size, MerkleHash.Size));
                }
            });

            count += n;
            pending = 0;
            chunk.ResetWrittenCount();
        }

        void Flush()
        {
            HashChunk();
            if (count == 0)
            {
                return;
            }

            var first = frontier.Size;
            var n = count;
            var crossesTarget = targets.Any(t => t > first && t < first + n);
            if (n == BatchRecords && first % BatchRecords == 0 && !crossesTarget)
            {
                frontier.AppendSubtree(16, SubtreeRoot(leaves));
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    frontier.Append(leaves.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
                    if (Array.IndexOf(targets, frontier.Size) >= 0)
                    {
                        roots[frontier.Size] = frontier.Root();
                    }
                }
            }

            if (Array.IndexOf(targets, frontier.Size) >= 0)
            {
                roots[frontier.Size] = frontier.Root();
            }

            count = 0;
        }

        LogRecords.Read(
            logDirectory,
            removed,
            (index, line) =>
            {
                chunk.Write(line);
                ends[pending++] = chunk.WrittenCount;
                if (pending == ChunkRecords)
                {
                    HashChunk();
                    if (count == BatchRecords)
                    {
                        Flush();
                    }
                }

                return true;
            },
            cancellationToken);
        Flush();
        return (roots, frontier.Size);
    }

    // The root of the perfect tree over 2^16 leaf hashes: the lower levels in parallel.
    private static byte[] SubtreeRoot(byte[] leaves)
    {
        var level = leaves;
        var width = leaves.Length / MerkleHash.Size;
        while (width > 1)
        {
            var next = new byte[width / 2 * MerkleHash.Size];
            var source = level;
            Parallel.For(0, Math.Max(1, width / 2 / 1024), chunk =>
            {
                var end = Math.Min(width / 2, (chunk + 1) * 1024);
                for (var i = chunk * 1024; i < end; i++)
                {
                    MerkleHash.Node(source.AsSpan(2 * i * MerkleHash.Size, MerkleHash.Size), source.AsSpan(((2 * i) + 1) * MerkleHash.Size, MerkleHash.Size), next.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
                }
            });
            level = next;
            width /= 2;
        }

        return level;
    }
}
