using System.Text;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Transparency;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Transparency;

// The tree and checkpoints of a real file log, verified with the public key only, and every kind of tampering.
public sealed class FileLogTreeTests : IDisposable
{
    private const string Origin = "audit.example.com/test";

    private static readonly NoteSigningKey Key = NoteSigningKey.Generate(Origin);

    private readonly string _log = LogFixture.NewDirectory();

    public void Dispose()
    {
        if (Directory.Exists(_log))
        {
            Directory.Delete(_log, recursive: true);
        }
    }

    private void Write(int count, int first = 0) =>
        LogFixture.WriteLog(LogFixture.Options(_log, configure: o => o.MaxSegmentSize = FileLogOptionsMin), count, batchSize: 7, first: first);

    private const long FileLogOptionsMin = DataAccessAudit.Log.FileLogOptions.MinSegmentSize;

    private List<string> RecordLines() =>
        [.. LogFixture.Segments(_log).SelectMany(s => LogFixture.Lines(s).Skip(1))];

    private LogTreeVerification Verify(SignedNote? since = null, params NoteVerifierKey[] keys) =>
        FileLogTree.Verify(_log, keys.Length == 0 ? [Key.VerifierKey] : keys, since, TestContext.Current.CancellationToken);

    [Fact]
    public void Checkpoint_NewLog_SignsTheRfc9162RootOfItsRecordLines()
    {
        Write(300);

        var note = FileLogTree.Checkpoint(_log, Key);

        var (checkpoint, signers) = Checkpoint.Open(note.ToString(), [Key.VerifierKey]);
        var lines = RecordLines().Select(Encoding.UTF8.GetBytes).ToList();
        Assert.True(LogFixture.Segments(_log).Length > 3);
        Assert.Equal(300, checkpoint.TreeSize);
        Assert.Equal(Origin, checkpoint.Origin);
        Assert.Equal(ReferenceMerkleTree.Mth(lines, 0, 300), checkpoint.RootHash.ToArray());
        Assert.Equal([Key.VerifierKey], signers);
        Assert.Equal(note.ToString(), File.ReadAllText(Path.Combine(_log, "tree", "checkpoint")));
        var result = Verify();
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(300, result.Records);
        Assert.StartsWith("intact: 300 records", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoint_WithTheChainKeys_SignsEveryVerifiedRecord()
    {
        Write(50);

        var note = FileLogTree.Checkpoint(_log, Key, LogFixture.Keys);

        Assert.Equal(50, Checkpoint.Parse(note.Text).TreeSize);
        Assert.True(Verify().IsIntact);
    }

    // Signed, the edit would verify as intact with the public key: only the chain, checked first, can refuse it.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Checkpoint_WithTheChainKeys_RecordEditedBeforeItsFirstCheckpoint_ThrowsAndSignsNothing(bool keysGiven)
    {
        Write(50);
        var segment = LogFixture.Segments(_log)[0];
        var lines = LogFixture.Lines(segment);
        lines[3] = lines[3].Replace("\"action\":\"read\"", "\"action\":\"view\"", StringComparison.Ordinal);
        File.WriteAllText(segment, string.Join('\n', lines) + "\n");

        var exception = Assert.Throws<InvalidDataException>(() => FileLogTree.Checkpoint(_log, Key, keysGiven ? LogFixture.Keys : null));

        Assert.StartsWith($"No checkpoint was signed: the chain of the log '{_log}' ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(keysGiven ? $"is broken: {segment}:4: " : "could not be verified: unverified: ", exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_log, "tree", "checkpoint")));
    }

    // What a live writer appends between the chain's verification and the tree's extension waits for the next one.
    [Fact]
    public void Update_UpToACount_SignsThatManyRecords_AndTheNextCheckpointExtendsIt()
    {
        Write(50);

        var first = LogTree.Update(_log, Key, upTo: 20);
        var second = FileLogTree.Checkpoint(_log, Key, LogFixture.Keys);

        Assert.Equal(20, Checkpoint.Parse(first.Text).TreeSize);
        Assert.Equal(50, Checkpoint.Parse(second.Text).TreeSize);
        Assert.True(Verify(first).IsIntact);
    }

    [Fact]
    public void Checkpoint_Incremental_ExtendsTheTreeConsistently()
    {
        Write(100);
        var first = FileLogTree.Checkpoint(_log, Key);
        Write(200, first: 100);
        var second = FileLogTree.Checkpoint(_log, Key);

        var proof = FileLogTree.ProveConsistency(_log, 100);

        Assert.True(proof.Verify(Checkpoint.Parse(first.Text), Checkpoint.Parse(second.Text)));
        Assert.True(ConsistencyProof.Parse(proof.ToJson()).Verify(Checkpoint.Parse(first.Text), Checkpoint.Parse(second.Text)));
        var result = Verify(first);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(100, result.ConsistentFrom);
        // Rebuilt from the records when the tiles are gone: the same root.
        Directory.Delete(Path.Combine(_log, "tree", "tile"), recursive: true);
        Assert.Equal(second.Text, FileLogTree.Checkpoint(_log, Key).Text);
    }

    [Fact]
    public void CheckpointAndVerify_SeveralBatchesOfRecords_GiveTheReferenceRoots()
    {
        // Leaf hashes are computed a batch of 2^16 records at a time: a whole aligned batch goes in as a subtree, a
        // checkpoint inside a batch is taken leaf by leaf, and a last partial batch comes after them.
        var options = LogFixture.Options(_log);
        LogFixture.WriteLog(options, 100_000, batchSize: 4096);
        var first = FileLogTree.Checkpoint(_log, Key);
        LogFixture.WriteLog(options, 70_000, batchSize: 4096, first: 100_000);
        var second = FileLogTree.Checkpoint(_log, Key);

        var lines = RecordLines().Select(Encoding.UTF8.GetBytes).ToList();
        Assert.Equal(ReferenceMerkleTree.Mth(lines, 0, 100_000), Checkpoint.Parse(first.Text).RootHash.ToArray());
        Assert.Equal(ReferenceMerkleTree.Mth(lines, 0, 170_000), Checkpoint.Parse(second.Text).RootHash.ToArray());
        var result = Verify(first);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(170_000, result.Records);
        Assert.Equal(100_000, result.ConsistentFrom);
        Directory.Delete(Path.Combine(_log, "tree", "tile"), recursive: true);
        Assert.Equal(second.Text, FileLogTree.Checkpoint(_log, Key).Text);
    }

    [Fact]
    public void ProveRecord_EveryRecord_IsCheckedWithThePublicKeyAlone()
    {
        Write(257);
        FileLogTree.Checkpoint(_log, Key);
        var lines = RecordLines();

        for (var seq = 1; seq <= 257; seq++)
        {
            var proof = InclusionProof.Parse(FileLogTree.ProveRecord(_log, seq).ToJson());
            Assert.Equal(lines[seq - 1], proof.Record);
            var (checkpoint, signers) = proof.Verify([Key.VerifierKey]);
            Assert.Equal(257, checkpoint.TreeSize);
            Assert.Equal([Key.VerifierKey], signers);
            Assert.InRange(proof.PathLength, 1, 9);
        }
    }

    [Fact]
    public void ProveEvent_ById_FindsTheAccess()
    {
        Write(50);
        FileLogTree.Checkpoint(_log, Key);

        var proof = FileLogTree.ProveEvent(_log, "e-42");

        Assert.NotNull(proof);
        Assert.Equal(42, proof.Index);
        Assert.Contains("\"id\":\"e-42\"", proof.Record, StringComparison.Ordinal);
        Assert.Null(FileLogTree.ProveEvent(_log, "e-4"[..2]));
        Assert.Throws<InvalidOperationException>(() => FileLogTree.ProveRecord(_log, 51));
    }

    [Fact]
    public void CheckProof_TamperedRecordIndexPathOrKey_IsRejected()
    {
        Write(40);
        FileLogTree.Checkpoint(_log, Key);
        var json = FileLogTree.ProveRecord(_log, 7).ToJson();

        string[] tampered =
        [
            json.Replace("e-6", "e-9", StringComparison.Ordinal),
            json.Replace("\"index\": 6", "\"index\": 7", StringComparison.Ordinal),
            json.Replace("emp-6", "emp-5", StringComparison.Ordinal),
        ];
        foreach (var changed in tampered)
        {
            Assert.NotEqual(json, changed);
            Assert.Throws<NoteVerificationException>(() => InclusionProof.Parse(changed).Verify([Key.VerifierKey]));
        }

        var otherKey = NoteSigningKey.Generate(Origin);
        Assert.Throws<NoteVerificationException>(() => InclusionProof.Parse(json).Verify([otherKey.VerifierKey]));
        Assert.Throws<FormatException>(() => InclusionProof.Parse("{\"schema\":\"other\"}"));
    }

    [Fact]
    public void Prove_InteriorTileCorrupt_MakesNoProofNamingTheTile_AndVerifyIsBroken()
    {
        Write(600);
        var first = FileLogTree.Checkpoint(_log, Key);
        using (var tile = File.OpenWrite(Path.Combine(_log, "tree", "tile", "0", "000")))
        {
            tile.Write("XXXX"u8);
        }

        var record = Assert.Throws<InvalidDataException>(() => FileLogTree.ProveRecord(_log, 2));
        var consistency = Assert.Throws<InvalidDataException>(() => FileLogTree.ProveConsistency(_log, 100));
        var verified = Verify(first);

        Assert.All([record.Message, consistency.Message, verified.ToString()], m => Assert.Contains("its tile tile/0/000 does not hold the hashes the tiles above it sign", m, StringComparison.Ordinal));
        Assert.StartsWith("No proof was made: ", record.Message, StringComparison.Ordinal);
        Assert.False(verified.IsIntact);
        Assert.Equal(600, verified.Records);
        InclusionProof.Parse(FileLogTree.ProveRecord(_log, 590).ToJson()).Verify([Key.VerifierKey]);   // its path is elsewhere
    }

    [Fact]
    public void ProveRecord_RecordChangedAfterTheCheckpoint_MakesNoProof()
    {
        Write(40);
        FileLogTree.Checkpoint(_log, Key);
        var segment = LogFixture.Segments(_log)[0];
        var lines = LogFixture.Lines(segment);
        lines[3] = lines[3].Replace("\"CN\"", "\"US\"", StringComparison.Ordinal);
        LogFixture.WriteLines(segment, lines);

        var exception = Assert.Throws<InvalidDataException>(() => FileLogTree.ProveRecord(_log, 3));

        Assert.Equal($"No proof was made: record 3 in the log '{_log}' is not the record its signed checkpoint covers at that position: it was changed after the checkpoint was signed.", exception.Message);
    }

    // A tile that cannot be written fails the extension before anything is signed: the tiles it had staged are
    // deleted, the last checkpoint stays with the tiles it covers, and the next checkpoint, once the tile can be
    // written, extends it.
    [Fact]
    public void Checkpoint_ATileThatCannotBeWritten_SignsNothing_LeavesNoTemporaryFile_AndTheNextOneExtendsTheLast()
    {
        Write(300);
        var last = FileLogTree.Checkpoint(_log, Key);
        Write(700, first: 300);
        var blocked = Path.Combine(_log, "tree", "tile", "0", "003.p", "232");
        Directory.CreateDirectory(blocked);
        File.WriteAllText(Path.Combine(blocked, "inside"), string.Empty);

        var exception = Assert.ThrowsAny<IOException>(() => FileLogTree.Checkpoint(_log, Key));

        Assert.DoesNotContain(".tmp", exception.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_log, "tree"), "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(last.ToString(), File.ReadAllText(Path.Combine(_log, "tree", "checkpoint")));
        Assert.True(Verify().IsIntact);
        Directory.Delete(blocked, recursive: true);
        var next = FileLogTree.Checkpoint(_log, Key);
        Assert.Equal(1000, Checkpoint.Parse(next.Text).TreeSize);
        var extended = Verify(since: last);
        Assert.True(extended.IsIntact, extended.ToString());
    }

    // tree/ is an entry of the log directory: until the log directory is synced, a power loss can take it back with
    // the tiles and the checkpoint in it. The first checkpoint syncs the log directory once, before it is written, and
    // the parent of each directory created for the tiles.
    [Fact]
    public void Update_NewTree_MakesTheTreeDirectoryDurableInTheLogDirectory_BeforeTheCheckpointIsWritten()
    {
        Write(300);
        var checkpoint = Path.Combine(_log, "tree", "checkpoint");
        var synced = new List<(string Directory, bool Checkpoint)>();

        LogTree.Update(_log, Key, long.MaxValue, d => synced.Add((Path.GetRelativePath(_log, d).Replace('\\', '/'), File.Exists(checkpoint))));

        Assert.Equal([(".", false)], synced.Where(s => s.Directory == "."));
        Assert.Equal(["tree", "tree/tile", "tree/tile/0", "tree/tile/0/001.p", "tree/tile/1", "tree/tile/1/000.p"], synced.Select(s => s.Directory).Where(d => d != ".").Distinct().Order(StringComparer.Ordinal));
        // Once per batch: tree/ for the tiles (tile/ created in it), then for the checkpoint renamed into it.
        Assert.Equal(["tree"], synced.GroupBy(s => s.Directory).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    // A tile directory whose sync fails fails the extension before anything is signed: the last checkpoint stays
    // with the tiles it covers, no temporary file is left, and the next checkpoint extends the last.
    [Fact]
    public void Update_ATileDirectoryWhoseSyncFails_SignsNothing_LeavesNoTemporaryFile_AndTheNextOneExtendsTheLast()
    {
        Write(300);
        var last = FileLogTree.Checkpoint(_log, Key);
        Write(700, first: 300);
        var failing = Path.Combine(_log, "tree", "tile", "0", "003.p");

        var exception = Assert.ThrowsAny<IOException>(() => LogTree.Update(_log, Key, long.MaxValue, d =>
        {
            if (d == failing)
            {
                throw new IOException($"The audit log directory '{d}' could not be synced (errno 5).");
            }
        }));

        Assert.Contains(failing, exception.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_log, "tree"), "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(last.ToString(), File.ReadAllText(Path.Combine(_log, "tree", "checkpoint")));
        Assert.True(Verify().IsIntact);
        var next = FileLogTree.Checkpoint(_log, Key);
        Assert.Equal(1000, Checkpoint.Parse(next.Text).TreeSize);
        var extended = Verify(since: last);
        Assert.True(extended.IsIntact, extended.ToString());
    }

    [Fact]
    public void Checkpoint_WithAWitnessKey_FailsNamingItBeforeTouchingTheTree()
    {
        Write(40);
        var note = FileLogTree.Checkpoint(_log, Key);
        var tiles = Directory.GetFiles(Path.Combine(_log, "tree"), "*", SearchOption.AllDirectories).Select(File.GetLastWriteTimeUtc).ToList();
        var witnessKey = NoteSigningKey.Generate("witness.example.com/w1", cosigner: true);

        var exception = Assert.Throws<ArgumentException>(() => FileLogTree.Checkpoint(_log, witnessKey));

        Assert.Equal("key", exception.ParamName);
        Assert.StartsWith($"The key witness.example.com/w1+{witnessKey.VerifierKey.KeyId:x8} is a witness's cosigner key, not a log's signing key", exception.Message, StringComparison.Ordinal);
        Assert.Equal(note.ToString(), File.ReadAllText(Path.Combine(_log, "tree", "checkpoint")));
        Assert.Equal(tiles, Directory.GetFiles(Path.Combine(_log, "tree"), "*", SearchOption.AllDirectories).Select(File.GetLastWriteTimeUtc));
    }

    [Fact]
    public void VerifyProofAndOpen_AWitnessKeyAmongTheLogsKeys_ThrowNamingIt_RatherThanTrustAWitnessedCheckpoint()
    {
        // The log's checkpoint carries the witness's cosignature, which verifies under the witness's key: taken as a
        // log's key, that key alone would make the checkpoint pass as signed by the log.
        Write(40);
        var witnessKey = NoteSigningKey.Generate("witness.example.com/w1", cosigner: true);
        var cosigned = FileLogTree.Checkpoint(_log, Key).Cosign(witnessKey, Instant.FromUtc(2026, 11, 30, 12, 0));
        File.WriteAllText(Path.Combine(_log, "tree", "checkpoint"), cosigned.ToString());
        var proof = FileLogTree.ProveRecord(_log, 5);

        var verify = Assert.Throws<ArgumentException>(() => Verify(null, witnessKey.VerifierKey));
        var mixed = Assert.Throws<ArgumentException>(() => Verify(null, Key.VerifierKey, witnessKey.VerifierKey));
        var check = Assert.Throws<ArgumentException>(() => proof.Verify([witnessKey.VerifierKey]));
        var open = Assert.Throws<ArgumentException>(() => Checkpoint.Open(cosigned.ToString(), [witnessKey.VerifierKey]));

        foreach (var exception in new[] { verify, mixed, check, open })
        {
            Assert.Equal("keys", exception.ParamName);
            Assert.StartsWith($"{witnessKey.VerifierKey} is a witness's cosigner key, not a log's key", exception.Message, StringComparison.Ordinal);
        }

        Assert.True(Verify(null, Key.VerifierKey).IsIntact);
    }

    // An auditor's list of several logs' keys, or a witness given the wrong log's key: a checkpoint naming this log
    // and signed by the other log's key must not pass as this log's.
    [Fact]
    public void VerifyProofOpenAndWitness_CheckpointSignedByAnotherLogsKey_IsNotTrusted_AndTheWitnessStaysUsable()
    {
        var other = NoteSigningKey.Generate("other.example.com/evil");
        var witnessKey = NoteSigningKey.Generate("witness.example.com/w1", cosigner: true);
        var state = Path.Combine(_log, "..", Path.GetFileName(_log) + "-witness");
        var witness = new CheckpointWitness(state, witnessKey, new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0)));
        Write(30);
        var genuine = FileLogTree.Checkpoint(_log, Key);
        var forged = SignedNote.FromText(genuine.Text).Sign(other);
        var proof = System.Text.Json.Nodes.JsonNode.Parse(FileLogTree.ProveRecord(_log, 5).ToJson())!;
        proof["checkpoint"] = forged.ToString();
        File.WriteAllText(Path.Combine(_log, "tree", "checkpoint"), forged.ToString());
        try
        {
            var result = Verify(null, Key.VerifierKey, other.VerifierKey);
            var open = Assert.Throws<NoteVerificationException>(() => Checkpoint.Open(forged.ToString(), [Key.VerifierKey, other.VerifierKey]));
            var check = Assert.Throws<NoteVerificationException>(() => InclusionProof.Parse(proof.ToJsonString()).Verify([other.VerifierKey]));
            var refused = Assert.Throws<NoteVerificationException>(() => witness.Cosign(forged, [other.VerifierKey], null));

            // Beside the log's own key, the other log's counts for nothing; alone, it is named as not the log's.
            Assert.False(result.IsIntact);
            Assert.Contains($"the log's checkpoint is not trusted: The note is signed by no key given (signed by: {other.Name}+", result.Problem, StringComparison.Ordinal);
            Assert.StartsWith($"The note is signed by no key given (signed by: {other.Name}+", open.Message, StringComparison.Ordinal);
            foreach (var exception in new[] { check, refused })
            {
                Assert.Contains($"The checkpoint is of '{Origin}' but no key given is named so (given: ", exception.Message, StringComparison.Ordinal);
            }

            Assert.Null(witness.LastAccepted(Origin));
            Assert.Equal(genuine.Text, witness.Cosign(genuine, [Key.VerifierKey, other.VerifierKey], null).Text);
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    public static TheoryData<string> SequenceBreaks => ["deleted", "swapped"];

    // Leaf i is the record with seq i + 1: records deleted or swapped before any checkpoint leave hashes that agree
    // with a tree signed over them, so the sequence numbers are what shows it.
    [Theory]
    [MemberData(nameof(SequenceBreaks))]
    public void CheckpointProveVerifyAndCheckProof_RecordsOutOfSequence_RefuseNamingTheRecord(string kind)
    {
        Write(120);
        var segment = LogFixture.Segments(_log)[1];
        var lines = LogFixture.Lines(segment);
        var moved = lines[3];
        if (kind == "deleted")
        {
            lines.RemoveAt(2);
        }
        else
        {
            (lines[2], lines[3]) = (lines[3], lines[2]);
        }

        LogFixture.WriteLines(segment, lines);
        var seq = System.Text.Json.JsonDocument.Parse(moved).RootElement.GetProperty("seq").GetInt64();
        var expected = $"Record {seq - 1} is out of sequence: line 3 of '{segment}', its place in the log, holds the record with seq {seq}.";

        var refused = Assert.Throws<InvalidDataException>(() => FileLogTree.Checkpoint(_log, Key));

        // A tree signed over the records as they stand, as a checkpoint made before this check was: it matches them.
        var records = RecordLines().Select(Encoding.UTF8.GetBytes).ToList();
        var note = new Checkpoint(Origin, records.Count, ReferenceMerkleTree.Mth(records, 0, records.Count)).Sign(Key);
        Directory.CreateDirectory(Path.Combine(_log, "tree"));
        File.WriteAllText(Path.Combine(_log, "tree", "checkpoint"), note.ToString());
        var result = Verify();
        var prove = Assert.Throws<InvalidDataException>(() => FileLogTree.ProveRecord(_log, seq - 1));
        var index = (int)seq - 2;
        var proof = new System.Text.Json.Nodes.JsonObject
        {
            ["schema"] = InclusionProof.Schema,
            ["index"] = index,
            ["record"] = moved,
            ["path"] = new System.Text.Json.Nodes.JsonArray([.. ReferenceMerkleTree.Path(index, records, 0, records.Count).Select(h => (System.Text.Json.Nodes.JsonNode?)Convert.ToBase64String(h))]),
            ["checkpoint"] = note.ToString(),
        };
        var check = Assert.Throws<NoteVerificationException>(() => InclusionProof.Parse(proof.ToJsonString()).Verify([Key.VerifierKey]));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_log, "tree", "checkpoint.tmp")));
        Assert.False(result.IsIntact);
        Assert.Contains(expected, result.Problem, StringComparison.Ordinal);
        Assert.Contains(expected, prove.Message, StringComparison.Ordinal);
        Assert.Equal($"The record is at index {index} of the signed tree, the place of the record with seq {index + 1}, but its seq is {seq}: the tree was signed over a log whose records were deleted, inserted or reordered.", check.Message);
    }

    // The log's own checkpoint replaced by an older one it signed: what the newer one covers is hidden from anyone
    // checking only the log's own, so the kept newer one shows a rollback rather than "extends".
    [Fact]
    public void Verify_LogsCheckpointOlderThanTheOneKept_IsBrokenAsRolledBack()
    {
        Write(60);
        var older = FileLogTree.Checkpoint(_log, Key);
        Write(40, first: 60);
        var kept = FileLogTree.Checkpoint(_log, Key);
        File.WriteAllText(Path.Combine(_log, "tree", "checkpoint"), older.ToString());

        var result = Verify(kept);

        Assert.True(Verify().IsIntact);
        Assert.False(result.IsIntact);
        Assert.Equal("broken: the log's checkpoint covers 60 records, fewer than the 100 of the checkpoint kept earlier: the log was rolled back (an older checkpoint put back in place of the newer, or records cut and a smaller tree signed)", result.ToString());
    }

    [Fact]
    public void ProveConsistencySince_CarriesBothCheckpoints_CheckedWithThePublicKeyAlone()
    {
        Write(60);
        var kept = FileLogTree.Checkpoint(_log, Key);
        Write(40, first: 60);
        var last = FileLogTree.Checkpoint(_log, Key);

        var proof = ConsistencyProof.Parse(FileLogTree.ProveConsistency(_log, kept).ToJson());
        var (from, to, signers) = proof.Verify([Key.VerifierKey]);
        var forWitness = ConsistencyProof.Parse(FileLogTree.ProveConsistency(_log, 60).ToJson());

        Assert.Equal((60L, 100L), (from.TreeSize, to.TreeSize));
        Assert.Equal([Key.VerifierKey], signers);
        Assert.Equal(kept.ToString(), proof.FromCheckpoint!.ToString());
        Assert.Equal(last.ToString(), proof.Checkpoint!.ToString());
        Assert.Equal(last.ToString(), forWitness.Checkpoint!.ToString());
        Assert.Null(forWitness.FromCheckpoint);
        Assert.Throws<InvalidOperationException>(() => forWitness.Verify([Key.VerifierKey]));
        Assert.Throws<NoteVerificationException>(() => proof.Verify([NoteSigningKey.Generate(Origin).VerifierKey]));

        // The past rewritten and the tree signed again: no proof extends the kept checkpoint.
        var segment = LogFixture.Segments(_log)[0];
        var lines = LogFixture.Lines(segment);
        lines[1] = lines[1].Replace("\"CN\"", "\"US\"", StringComparison.Ordinal);
        LogFixture.WriteLines(segment, lines);
        Directory.Delete(Path.Combine(_log, "tree"), recursive: true);
        FileLogTree.Checkpoint(_log, Key);
        var rewritten = Assert.Throws<InvalidDataException>(() => FileLogTree.ProveConsistency(_log, kept));
        Assert.Contains("does not extend the one given at 60 records", rewritten.Message, StringComparison.Ordinal);
    }

    // The state directory, created on the first cosignature, is an entry of its parent: it is synced there before the
    // cosignature is handed out, so that a power loss cannot take back what the witness accepted and let it cosign a
    // fork of the log without a proof.
    [Fact]
    public void Witness_FirstCosignature_MakesTheStateDirectoryDurableInItsParent()
    {
        var witnessKey = NoteSigningKey.Generate("witness.example.com/w1", cosigner: true);
        var parent = Path.GetFullPath(_log + "-witness");
        var state = Path.Combine(parent, "state");
        var synced = new List<string>();
        var witness = new CheckpointWitness(state, witnessKey, new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0))) { SyncDirectory = synced.Add };
        try
        {
            Write(40);

            witness.Cosign(FileLogTree.Checkpoint(_log, Key), [Key.VerifierKey], null);

            Assert.Equal([parent, Path.GetDirectoryName(parent)!, state], synced);
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public void Witness_UnusableStateOrACosignerGivenAsTheLogsKey_IsNotARefusal()
    {
        var witnessKey = NoteSigningKey.Generate("witness.example.com/w1", cosigner: true);
        var state = Path.Combine(_log, "..", Path.GetFileName(_log) + "-witness");
        var witness = new CheckpointWitness(state, witnessKey, new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0)));
        try
        {
            Write(40);
            var note = FileLogTree.Checkpoint(_log, Key);
            var cosignerAsLogKey = Assert.Throws<ArgumentException>(() => witness.Cosign(note, [Key.VerifierKey, witnessKey.VerifierKey], null));
            witness.Cosign(note, [Key.VerifierKey], null);
            var entry = Directory.GetFiles(state).Single();
            File.WriteAllText(entry, string.Empty);
            var emptied = Assert.Throws<InvalidDataException>(() => witness.Cosign(note, [Key.VerifierKey], null));
            File.WriteAllText(entry, new Checkpoint("other.example.com/log", 1, new byte[32]).Sign(NoteSigningKey.Generate("other.example.com/log")).ToString());
            var otherLog = Assert.Throws<InvalidDataException>(() => witness.LastAccepted(Origin));
            File.Delete(entry);
            Directory.CreateDirectory(entry);
            var directory = Assert.Throws<InvalidDataException>(() => witness.Cosign(note, [Key.VerifierKey], null));
            Directory.Delete(state, recursive: true);
            File.WriteAllText(state, string.Empty);
            var file = Assert.Throws<IOException>(() => witness.Cosign(note, [Key.VerifierKey], null));

            Assert.Equal("logKeys", cosignerAsLogKey.ParamName);
            Assert.StartsWith($"{witnessKey.VerifierKey} is a witness's cosigner key, not a log's key", cosignerAsLogKey.Message, StringComparison.Ordinal);
            Assert.StartsWith($"The witness state '{entry}' for {Origin} is not the checkpoint this witness last accepted: A signed note is its text", emptied.Message, StringComparison.Ordinal);
            Assert.Contains("it holds a checkpoint of 'other.example.com/log'", otherLog.Message, StringComparison.Ordinal);
            Assert.Contains("it is a directory, not the file this witness writes", directory.Message, StringComparison.Ordinal);
            Assert.Equal($"The witness state directory '{state}' is a file, not a directory.", file.Message);
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }

            File.Delete(state);
        }
    }

    public static TheoryData<string> TamperingKinds => ["changed", "deleted", "inserted", "reordered"];

    [Theory]
    [MemberData(nameof(TamperingKinds))]
    public void Verify_TamperedRecords_IsBrokenNamingTheFirstDifference(string kind)
    {
        Write(120);
        FileLogTree.Checkpoint(_log, Key);
        var segment = LogFixture.Segments(_log)[1];
        var lines = LogFixture.Lines(segment);
        switch (kind)
        {
            case "changed":
                lines[2] = lines[2].Replace("\"CN\"", "\"SG\"", StringComparison.Ordinal).Replace("\"US\"", "\"SG\"", StringComparison.Ordinal);
                break;
            case "deleted":
                lines.RemoveAt(2);
                break;
            case "inserted":
                lines.Insert(2, lines[2]);
                break;
            default:
                (lines[2], lines[3]) = (lines[3], lines[2]);
                break;
        }

        LogFixture.WriteLines(segment, lines);

        var result = Verify();

        // A record deleted, inserted or moved leaves one out of its place by sequence number, named before any hash.
        Assert.False(result.IsIntact);
        Assert.Contains(kind == "changed" ? "first difference at record" : $" is out of sequence: line {(kind == "inserted" ? 4 : 3)} of '{segment}', its place in the log, holds the record with seq ", result.Problem, StringComparison.Ordinal);
        Assert.StartsWith("broken: ", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CutTail_IsBroken()
    {
        Write(120);
        FileLogTree.Checkpoint(_log, Key);
        var last = LogFixture.Segments(_log)[^1];
        var lines = LogFixture.Lines(last);
        LogFixture.WriteLines(last, lines.Take(lines.Count - 3));

        var result = Verify();

        Assert.False(result.IsIntact);
        Assert.Contains("117 records but its signed checkpoint covers 120: records were deleted or cut from its end", result.Problem, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => FileLogTree.Checkpoint(_log, Key));
    }

    // The operator holds the key: it can cut the log and sign a new, smaller tree. An auditor's older checkpoint catches it.
    [Fact]
    public void Verify_CutBelowAWitnessedCheckpointAndResigned_IsCaughtBySince()
    {
        Write(100);
        var kept = FileLogTree.Checkpoint(_log, Key);
        var last = LogFixture.Segments(_log)[^1];
        var lines = LogFixture.Lines(last);
        LogFixture.WriteLines(last, lines.Take(lines.Count - 2));
        Directory.Delete(Path.Combine(_log, "tree"), recursive: true);
        FileLogTree.Checkpoint(_log, Key);

        Assert.True(Verify().IsIntact);
        var result = Verify(kept);

        Assert.False(result.IsIntact);
        Assert.Contains("covers 98 records, fewer than the 100 of the checkpoint kept earlier: the log was rolled back", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PastRewrittenAndResigned_IsCaughtBySince()
    {
        Write(100);
        var kept = FileLogTree.Checkpoint(_log, Key);
        Write(20, first: 100);
        var segment = LogFixture.Segments(_log)[0];
        var lines = LogFixture.Lines(segment);
        lines[1] = lines[1].Replace("\"CN\"", "\"US\"", StringComparison.Ordinal);
        LogFixture.WriteLines(segment, lines);
        Directory.Delete(Path.Combine(_log, "tree"), recursive: true);
        FileLogTree.Checkpoint(_log, Key);

        Assert.True(Verify().IsIntact);
        var result = Verify(kept);

        Assert.False(result.IsIntact);
        Assert.Contains("not those of the older checkpoint: the past was rewritten", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ForgedCheckpointOrWrongKey_IsNotTrusted()
    {
        Write(30);
        var note = FileLogTree.Checkpoint(_log, Key);
        var path = Path.Combine(_log, "tree", "checkpoint");

        Assert.Contains("not trusted", Verify(null, NoteSigningKey.Generate(Origin).VerifierKey).Problem, StringComparison.Ordinal);
        File.WriteAllText(path, note.ToString().Replace("\n30\n", "\n29\n", StringComparison.Ordinal));
        Assert.Contains("does not verify", Verify().Problem, StringComparison.Ordinal);
        File.Delete(path);
        Assert.Contains("has no signed checkpoint", Verify().Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AfterKeyRotation_OldCheckpointsStayVerifiableWithTheOldKey()
    {
        var next = NoteSigningKey.Generate(Origin);
        Write(60);
        var old = FileLogTree.Checkpoint(_log, Key);
        Write(60, first: 60);
        FileLogTree.Checkpoint(_log, next);

        Assert.True(Verify(null, next.VerifierKey).IsIntact);
        Assert.False(Verify(null, Key.VerifierKey).IsIntact);
        Assert.Equal(60, Checkpoint.Open(old.ToString(), [Key.VerifierKey]).Checkpoint.TreeSize);
        var result = Verify(old, Key.VerifierKey, next.VerifierKey);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(60, result.ConsistentFrom);
    }

    [Fact]
    public void Verify_CrashLeftATornLine_TheLastCheckpointStillVerifies()
    {
        Write(50);
        FileLogTree.Checkpoint(_log, Key);
        File.AppendAllText(LogFixture.Segments(_log)[^1], "{\"schema\":\"access-event/1\",\"id\":\"torn");
        var result = Verify();
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(50, result.Records);

        // Reopening the log recovers the torn line as a record; the next checkpoint covers it and extends the last.
        var kept = FileLogTree.ReadCheckpoint(_log)!;
        Write(5, first: 50);
        FileLogTree.Checkpoint(_log, Key);
        var after = Verify(kept);
        Assert.True(after.IsIntact, after.ToString());
        Assert.Equal(56, after.Checkpoint!.TreeSize);
    }

    [Fact]
    public void Witness_AcceptsOnlyProvenExtensions()
    {
        var witnessKey = NoteSigningKey.Generate("witness.example.com/w1", cosigner: true);
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0));
        var state = Path.Combine(_log, "..", Path.GetFileName(_log) + "-witness");
        var witness = new CheckpointWitness(state, witnessKey, clock);
        try
        {
            Write(40);
            var first = FileLogTree.Checkpoint(_log, Key);
            var cosigned = witness.Cosign(first, [Key.VerifierKey], null);
            Assert.Equal(clock.GetCurrentInstant(), cosigned.CosignedAt(witnessKey.VerifierKey));
            Assert.Equal([Key.VerifierKey, witnessKey.VerifierKey], cosigned.Verify([Key.VerifierKey, witnessKey.VerifierKey]));

            Write(40, first: 40);
            var second = FileLogTree.Checkpoint(_log, Key);
            Assert.Contains("consistency proof", Assert.Throws<NoteVerificationException>(() => witness.Cosign(second, [Key.VerifierKey], null)).Message, StringComparison.Ordinal);
            var wrongProof = FileLogTree.ProveConsistency(_log, 39);
            Assert.Throws<NoteVerificationException>(() => witness.Cosign(second, [Key.VerifierKey], wrongProof));
            witness.Cosign(second, [Key.VerifierKey], FileLogTree.ProveConsistency(_log, 40));
            Assert.Equal(second.Text, witness.LastAccepted(Origin)!.Text);

            // The operator rewrites the past and re-signs: no proof from the accepted checkpoint can exist.
            var segment = LogFixture.Segments(_log)[0];
            var lines = LogFixture.Lines(segment);
            lines[3] = lines[3].Replace("\"CN\"", "\"US\"", StringComparison.Ordinal);
            LogFixture.WriteLines(segment, lines);
            Write(10, first: 80);
            Directory.Delete(Path.Combine(_log, "tree"), recursive: true);
            var forked = FileLogTree.Checkpoint(_log, Key);
            var refused = Assert.Throws<NoteVerificationException>(() => witness.Cosign(forked, [Key.VerifierKey], FileLogTree.ProveConsistency(_log, 80)));
            Assert.Contains("rewritten", refused.Message, StringComparison.Ordinal);
            Assert.Throws<NoteVerificationException>(() => witness.Cosign(first, [Key.VerifierKey], null));
            Assert.Throws<NoteVerificationException>(() => witness.Cosign(second, [NoteSigningKey.Generate(Origin).VerifierKey], null));
            Assert.Equal(second.Text, witness.LastAccepted(Origin)!.Text);
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    // Two branches of a fork offered at once, each with a valid proof from the checkpoint last accepted: the witness
    // cosigns one and refuses the other, every time, instead of checking both against the same last checkpoint.
    [Fact]
    public async Task Witness_TwoForksAtOnce_CosignsOnlyOne()
    {
        var witnessKey = NoteSigningKey.Generate("witness.example.com/w1", cosigner: true);
        var state = Path.Combine(_log, "..", Path.GetFileName(_log) + "-witness");
        var fork = Path.Combine(_log, "..", Path.GetFileName(_log) + "-fork");
        try
        {
            Write(40);
            var first = FileLogTree.Checkpoint(_log, Key);
            Directory.CreateDirectory(fork);
            foreach (var file in Directory.GetFiles(_log))
            {
                File.Copy(file, Path.Combine(fork, Path.GetFileName(file)));
            }

            Write(40, first: 40);
            LogFixture.WriteLog(LogFixture.Options(fork, configure: o => o.MaxSegmentSize = FileLogOptionsMin), 40, batchSize: 7, first: 1000);
            var branches = new[] { _log, fork }.Select(log => (Note: FileLogTree.Checkpoint(log, Key), Proof: FileLogTree.ProveConsistency(log, 40))).ToArray();
            Assert.NotEqual(branches[0].Note.Text, branches[1].Note.Text);

            for (var round = 0; round < 20; round++)
            {
                if (Directory.Exists(state))
                {
                    Directory.Delete(state, recursive: true);
                }

                new CheckpointWitness(state, witnessKey, SystemClock.Instance).Cosign(first, [Key.VerifierKey], null);
                using var start = new Barrier(2);
                var cosigned = new bool[2];
                await Task.WhenAll(
                    Enumerable.Range(0, 2).Select(i => Task.Factory.StartNew(
                        () =>
                        {
                            var witness = new CheckpointWitness(state, witnessKey, SystemClock.Instance);
                            start.SignalAndWait();
                            try
                            {
                                witness.Cosign(branches[i].Note, [Key.VerifierKey], branches[i].Proof);
                                cosigned[i] = true;
                            }
                            catch (NoteVerificationException)
                            {
                            }
                        },
                        TestContext.Current.CancellationToken,
                        TaskCreationOptions.LongRunning,
                        TaskScheduler.Default)));

                Assert.Equal(1, cosigned.Count(c => c));
            }
        }
        finally
        {
            foreach (var directory in new[] { state, fork })
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }
    }

    private DataAccessAudit.Log.LogVerificationResult WriteWithRetention() => RetainedLog.Write(_log, Key);

    [Fact]
    public void ProveEvent_AfterRetentionRemovedTheOldestSegments_ProvesAKeptEvent()
    {
        WriteWithRetention();

        var proof = FileLogTree.ProveEvent(_log, "e-55");

        Assert.NotNull(proof);
        Assert.Contains("\"id\":\"e-55\"", proof.Record, StringComparison.Ordinal);
        Assert.Equal(60 + 3, proof.Verify([Key.VerifierKey]).Checkpoint.TreeSize);
        Assert.Null(FileLogTree.ProveEvent(_log, "e-1"));
    }

    [Fact]
    public void Checkpoint_AfterRetention_WithTilesThatCannotBeRebuilt_RefusesAndKeepsTheTiles()
    {
        var chain = WriteWithRetention();
        var tiles = Directory.GetFiles(Path.Combine(_log, "tree", "tile"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var checkpoint = File.ReadAllText(Path.Combine(_log, "tree", "checkpoint"));

        var otherName = Assert.Throws<InvalidDataException>(() => FileLogTree.Checkpoint(_log, NoteSigningKey.Generate("audit.example.com/other")));

        Assert.Contains($"records 1 to {chain.RemovedUpToSequence} are no longer in the log", otherName.Message, StringComparison.Ordinal);
        Assert.Contains("'audit.example.com/other'", otherName.Message, StringComparison.Ordinal);
        Assert.Equal(tiles, Directory.GetFiles(Path.Combine(_log, "tree", "tile"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.Equal(checkpoint, File.ReadAllText(Path.Combine(_log, "tree", "checkpoint")));
        Assert.NotNull(FileLogTree.ProveEvent(_log, "e-55"));
        Assert.Equal(SignedNote.ParseUtf8(Encoding.UTF8.GetBytes(checkpoint)).Text, FileLogTree.Checkpoint(_log, Key).Text);
    }

    [Fact]
    public void Verify_AfterRetentionRemovedTheOldestSegments_IsIntact_AndSaysWhichRecordsRetentionRemoved()
    {
        var chain = WriteWithRetention();

        var result = Verify();

        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(chain.RemovedUpToSequence, result.RemovedUpToSequence);
        Assert.Equal(chain.LastSequence, result.Records);
        Assert.EndsWith($"(1..{chain.RemovedUpToSequence} removed by retention, verified by their hashes in the tiles)", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AfterRetention_AKeptRecordChanged_IsBroken()
    {
        WriteWithRetention();
        var segment = LogFixture.Segments(_log)[^1];
        var lines = LogFixture.Lines(segment);
        var changed = lines.FindIndex(l => l.Contains("\"id\":\"e-55\"", StringComparison.Ordinal));
        lines[changed] = lines[changed].Replace("\"CN\"", "\"US\"", StringComparison.Ordinal).Replace("\"emp-", "\"EMP-", StringComparison.Ordinal);
        LogFixture.WriteLines(segment, lines);

        var result = Verify();

        Assert.False(result.IsIntact);
        Assert.Contains("do not hash to the root", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_FirstKeptSegmentAlsoDeletedWithoutARemovalRecord_IsBrokenAsDeleted_NotRetention()
    {
        WriteWithRetention();
        File.Delete(LogFixture.Segments(_log)[0]);

        var result = Verify();

        Assert.False(result.IsIntact);
        Assert.Contains("no removal record under the checkpoint accounts for them: the oldest segments were deleted, not removed by retention", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AfterRetention_WithoutTheTiles_IsBrokenSayingTheHashesOfTheRemovedRecordsAreMissing()
    {
        var chain = WriteWithRetention();
        Directory.Delete(Path.Combine(_log, "tree", "tile"), recursive: true);

        var result = Verify();

        Assert.False(result.IsIntact);
        Assert.StartsWith($"records 1 to {chain.RemovedUpToSequence} are no longer in the log (removed by retention), and the tree's tiles, which keep their hashes, are missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OldestSegmentsDeleted_AndARemovalRecordAppendedAfterTheCheckpoint_IsBrokenAsDeleted()
    {
        var chain = RetainedLog.Write(_log, Key);
        File.Delete(LogFixture.Segments(_log)[0]);
        RetainedLog.AppendUnsignedRemoval(_log, chain.LastSequence);

        var result = Verify();

        Assert.False(result.IsIntact);
        Assert.Contains("no removal record under the checkpoint accounts for them", result.Problem, StringComparison.Ordinal);
    }
}
