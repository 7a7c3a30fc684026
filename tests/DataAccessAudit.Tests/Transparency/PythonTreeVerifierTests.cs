using System.Text.Json;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Transparency;

namespace DataAccessAudit.Tests.Transparency;

// docs/verify_tree.py (standard library and python3-cryptography) agrees with FileLogTree and InclusionProof on every
// case: the proof that log-format.md describes the tree, checkpoints and proofs precisely enough for a third party.
public sealed class PythonTreeVerifierTests : IDisposable
{
    private const string Origin = "audit.example.com/py";

    private static readonly NoteSigningKey Key = NoteSigningKey.Generate(Origin);

    private readonly string _log = LogFixture.NewDirectory();
    private readonly string _files = LogFixture.NewDirectory();

    public PythonTreeVerifierTests()
    {
        Directory.CreateDirectory(_files);
        LogFixture.WriteLog(LogFixture.Options(_log, configure: o => o.MaxSegmentSize = DataAccessAudit.Log.FileLogOptions.MinSegmentSize), 90, batchSize: 4);
        File.WriteAllText(Path.Combine(_files, "since"), FileLogTree.Checkpoint(_log, Key).ToString());
        LogFixture.WriteLog(LogFixture.Options(_log, configure: o => o.MaxSegmentSize = DataAccessAudit.Log.FileLogOptions.MinSegmentSize), 30, batchSize: 4, first: 90);
        FileLogTree.Checkpoint(_log, Key);
        File.WriteAllText(Path.Combine(_files, "key.pub"), Key.VerifierKey + "\n");
    }

    public void Dispose()
    {
        Directory.Delete(_log, recursive: true);
        Directory.Delete(_files, recursive: true);
    }

    public static TheoryData<string> Cases =>
    [
        "none", "changed", "deleted", "cut", "forged", "wrong-key", "rewritten-and-resigned", "torn",
        "another-logs-key", "swapped-and-signed", "partial-tile-corrupt", "full-tile-corrupt", "rolled-back",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void VerifyTreePy_AgreesWithFileLogTree(string tampering)
    {
        var keys = new List<NoteVerifierKey> { Key.VerifierKey };
        var segment = LogFixture.Segments(_log)[2];
        var lines = LogFixture.Lines(segment);
        switch (tampering)
        {
            case "changed":
                lines[1] = lines[1].Replace("\"read\"", "\"copy\"", StringComparison.Ordinal);
                LogFixture.WriteLines(segment, lines);
                break;
            case "deleted":
                lines.RemoveAt(1);
                LogFixture.WriteLines(segment, lines);
                break;
            case "cut":
                var last = LogFixture.Segments(_log)[^1];
                LogFixture.WriteLines(last, LogFixture.Lines(last).SkipLast(1));
                break;
            case "forged":
                var path = Path.Combine(_log, "tree", "checkpoint");
                File.WriteAllText(path, File.ReadAllText(path).Replace("\n120\n", "\n119\n", StringComparison.Ordinal));
                break;
            case "wrong-key":
                keys = [NoteSigningKey.Generate(Origin).VerifierKey];
                File.WriteAllText(Path.Combine(_files, "key.pub"), keys[0] + "\n");
                break;
            case "rewritten-and-resigned":
                lines[1] = lines[1].Replace("\"read\"", "\"copy\"", StringComparison.Ordinal);
                LogFixture.WriteLines(segment, lines);
                Directory.Delete(Path.Combine(_log, "tree"), recursive: true);
                FileLogTree.Checkpoint(_log, Key);
                break;
            case "torn":
                File.AppendAllText(LogFixture.Segments(_log)[^1], "{\"schema\":\"acc");
                break;
            case "another-logs-key":
                // Signed by another log's key, which is given beside this log's: it does not speak for this origin.
                var other = NoteSigningKey.Generate("other.example.com/evil");
                keys = [Key.VerifierKey, other.VerifierKey];
                File.WriteAllText(Path.Combine(_files, "key.pub"), string.Join('\n', keys) + "\n");
                var checkpointPath = Path.Combine(_log, "tree", "checkpoint");
                File.WriteAllText(checkpointPath, SignedNote.FromText(SignedNote.Parse(File.ReadAllText(checkpointPath)).Text).Sign(other).ToString());
                break;
            case "swapped-and-signed":
                (lines[1], lines[2]) = (lines[2], lines[1]);
                LogFixture.WriteLines(segment, lines);
                Directory.Delete(Path.Combine(_log, "tree", "tile"), recursive: true);
                SignAsTheRecordsStand();
                break;
            case "partial-tile-corrupt":
                Corrupt(Path.Combine(_log, "tree", "tile", "0", "000.p", "120"));
                break;
            case "full-tile-corrupt":
                LogFixture.WriteLog(LogFixture.Options(_log, configure: o => o.MaxSegmentSize = DataAccessAudit.Log.FileLogOptions.MinSegmentSize), 150, batchSize: 4, first: 120);
                FileLogTree.Checkpoint(_log, Key);
                Corrupt(Path.Combine(_log, "tree", "tile", "0", "000"));
                break;
            case "rolled-back":
                // A checkpoint the log signed before the one kept (here of the empty tree) put back in place of its last.
                File.WriteAllText(Path.Combine(_log, "tree", "checkpoint"), new Checkpoint(Origin, 0, System.Security.Cryptography.SHA256.HashData([])).Sign(Key).ToString());
                break;
        }

        var since = SignedNote.Parse(File.ReadAllText(Path.Combine(_files, "since")));
        var expected = FileLogTree.Verify(_log, keys, since, TestContext.Current.CancellationToken);

        var (exitCode, output) = RunPython(_log, "--public-key", Path.Combine(_files, "key.pub"), "--since", Path.Combine(_files, "since"), "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(expected.IsIntact ? 0 : 1, exitCode);
        Assert.Equal(expected.IsIntact, json.RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal(tampering is "none" or "torn", expected.IsIntact);
        if (tampering == "full-tile-corrupt")
        {
            Assert.Contains("tile/0/000 does not hold the hashes", expected.Problem, StringComparison.Ordinal);
            Assert.Contains("tile/0/000 does not hold the hashes", json.RootElement.GetProperty("problem").GetString(), StringComparison.Ordinal);
        }

        if (expected.IsIntact)
        {
            Assert.Equal(expected.Records, json.RootElement.GetProperty("records").GetInt64());
            Assert.Equal(expected.Checkpoint!.TreeSize, json.RootElement.GetProperty("treeSize").GetInt64());
        }
        else
        {
            Assert.Equal(Kind(expected.Problem!), Kind(json.RootElement.GetProperty("problem").GetString()!));
        }
    }

    [Theory]
    [InlineData("none")]
    [InlineData("kept-record-changed")]
    [InlineData("first-kept-segment-deleted")]
    [InlineData("tiles-removed")]
    [InlineData("unsigned-removal-forged")]
    [InlineData("removed-record-hash-changed")]
    public void VerifyTreePy_AfterRetention_AgreesWithFileLogTree(string tampering)
    {
        var log = LogFixture.NewDirectory();
        try
        {
            var chain = RetainedLog.Write(log, Key, perDay: 100);
            switch (tampering)
            {
                case "kept-record-changed":
                    var segment = LogFixture.Segments(log)[^1];
                    var lines = LogFixture.Lines(segment);
                    lines[2] = lines[2].Replace("\"read\"", "\"copy\"", StringComparison.Ordinal);
                    LogFixture.WriteLines(segment, lines);
                    break;
                case "first-kept-segment-deleted":
                    File.Delete(LogFixture.Segments(log)[0]);
                    break;
                case "unsigned-removal-forged":
                    File.Delete(LogFixture.Segments(log)[0]);
                    RetainedLog.AppendUnsignedRemoval(log, chain.LastSequence);
                    break;
                case "tiles-removed":
                    Directory.Delete(Path.Combine(log, "tree", "tile"), recursive: true);
                    break;
                case "removed-record-hash-changed":
                    Corrupt(Path.Combine(log, "tree", "tile", "0", "000"));
                    break;
            }

            var expected = FileLogTree.Verify(log, [Key.VerifierKey], null, TestContext.Current.CancellationToken);

            var (exitCode, output) = RunPython(log, "--public-key", Path.Combine(_files, "key.pub"), "--json");

            using var json = JsonDocument.Parse(output);
            Assert.Equal(tampering == "none", expected.IsIntact);
            Assert.Equal(expected.IsIntact ? 0 : 1, exitCode);
            Assert.Equal(expected.IsIntact, json.RootElement.GetProperty("intact").GetBoolean());
            if (expected.IsIntact)
            {
                Assert.True(chain.RemovedUpToSequence > 256, chain.ToString());
                Assert.Equal(chain.RemovedUpToSequence, expected.RemovedUpToSequence);
                Assert.Equal(expected.RemovedUpToSequence, json.RootElement.GetProperty("removedUpToSeq").GetInt64());
                Assert.Equal(expected.Records, json.RootElement.GetProperty("records").GetInt64());
            }
            else
            {
                Assert.Equal(Kind(expected.Problem!), Kind(json.RootElement.GetProperty("problem").GetString()!));
            }
        }
        finally
        {
            Directory.Delete(log, recursive: true);
        }
    }

    [Fact]
    public void VerifyTreePyAndVerifyLogPy_RetentionThatWaitsForCheckpoints_AgreeWithTheLibrary()
    {
        var log = LogFixture.NewDirectory();
        var keyFile = Path.Combine(_files, "chain.keys");
        File.WriteAllText(keyFile, $"{LogFixture.KeyId}:{Convert.ToBase64String(LogFixture.Key)}\n");
        try
        {
            var chain = RetainedLog.Write(log, Key, perDay: 100, waitForCheckpoints: true);
            var tree = FileLogTree.Verify(log, [Key.VerifierKey], null, TestContext.Current.CancellationToken);
            Assert.True(tree.IsIntact, tree.ToString());
            Assert.Equal(chain.RemovedUpToSequence, tree.RemovedUpToSequence);
            Assert.True(File.ReadAllText(LogFixture.Segments(log)[^1]).Contains("\"type\":\"removal\"", StringComparison.Ordinal));

            var (treeExit, treeOutput) = RunPython(log, "--public-key", Path.Combine(_files, "key.pub"), "--json");
            var (chainExit, chainOutput, chainError) = PythonScript.Run("verify_log.py", log, "--key-file", keyFile, "--json");

            Assert.Equal(0, treeExit);
            using var treeJson = JsonDocument.Parse(treeOutput);
            Assert.Equal(tree.RemovedUpToSequence, treeJson.RootElement.GetProperty("removedUpToSeq").GetInt64());
            Assert.Equal(tree.Records, treeJson.RootElement.GetProperty("records").GetInt64());
            Assert.True(chainExit == 0, chainOutput + chainError);
            using var chainJson = JsonDocument.Parse(chainOutput);
            Assert.Equal(chain.LastSequence, chainJson.RootElement.GetProperty("lastSequence").GetInt64());
        }
        finally
        {
            Directory.Delete(log, recursive: true);
        }
    }

    // What a finding is about, from the words both verifiers use.
    private static string Kind(string problem) =>
        problem.Contains("the records are those its checkpoint signs, but", StringComparison.Ordinal) ? "tile"
        : problem.Contains("cut from its end", StringComparison.Ordinal) ? "cut"
        : problem.Contains("past was rewritten", StringComparison.Ordinal) ? "rewritten"
        : problem.Contains("do not hash to the root", StringComparison.Ordinal) ? "modified"
        : problem.Contains("does not verify", StringComparison.Ordinal) ? "bad-signature"
        : problem.Contains("signed by no key given", StringComparison.OrdinalIgnoreCase) ? "unknown-key"
        : problem.Contains("no key given is named so", StringComparison.OrdinalIgnoreCase) ? "another-logs-key"
        : problem.Contains("is out of sequence", StringComparison.OrdinalIgnoreCase) ? "out-of-sequence"
        : problem.Contains("the log was rolled back", StringComparison.Ordinal) ? "rolled-back"
        : problem.Contains("not removed by retention", StringComparison.Ordinal) ? "deleted-not-retention"
        : problem.Contains("the tree's tiles, which keep their hashes, are missing", StringComparison.Ordinal) ? "removed-without-tiles"
        : "other: " + problem;

    public static TheoryData<string, int> WitnessCases => new()
    {
        { "cosigned-by-one", 1 },
        { "cosigned-by-one", 2 },
        { "cosigned-by-both", 2 },
        { "cosignature-tampered", 1 },
        { "none", 1 },
    };

    [Theory]
    [MemberData(nameof(WitnessCases))]
    public void VerifyTreePy_CountsTheWitnessesCosignatures_AsSignedNoteCosignersDoes(string cosigned, int required)
    {
        var clock = new NodaTime.Testing.FakeClock(LogFixture.Start);
        var w1 = NoteSigningKey.Generate("witness.example.org/w1", cosigner: true);
        var w2 = NoteSigningKey.Generate("witness.example.org/w2", cosigner: true);
        var since = SignedNote.Parse(File.ReadAllText(Path.Combine(_files, "since")));
        var note = cosigned switch
        {
            "cosigned-by-one" => since.Cosign(w1, clock.GetCurrentInstant()),
            "cosigned-by-both" => since.Cosign(w1, clock.GetCurrentInstant()).Cosign(w2, clock.GetCurrentInstant()),
            _ => since,
        };
        var text = note.ToString();
        if (cosigned == "cosignature-tampered")
        {
            // The witness's time moved by one second: its signature no longer covers what the line says.
            var line = since.Cosign(w1, clock.GetCurrentInstant()).ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
            var raw = Convert.FromBase64String(line[(line.LastIndexOf(' ') + 1)..]);
            raw[11]++;
            text = since + line[..(line.LastIndexOf(' ') + 1)] + Convert.ToBase64String(raw) + "\n";
        }

        var sincePath = Path.Combine(_files, "witnessed");
        File.WriteAllText(sincePath, text);
        var expected = SignedNote.Parse(text).Cosigners([w1.VerifierKey, w2.VerifierKey]);

        var (exitCode, output) = RunPython(
            _log, "--public-key", Path.Combine(_files, "key.pub"), "--since", sincePath,
            "--witness-key", w1.VerifierKey.ToString(), "--witness-key", w2.VerifierKey.ToString(), "--min-cosignatures", required.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(expected.Select(k => k.Name), json.RootElement.GetProperty("cosigners").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(expected.Count >= required ? 0 : 3, exitCode);
        Assert.Equal(cosigned switch { "cosigned-by-one" => 1, "cosigned-by-both" => 2, _ => 0 }, expected.Count);
    }

    public static TheoryData<string> ProofCases => ["none", "record", "index", "path", "wrong-key"];

    [Theory]
    [MemberData(nameof(ProofCases))]
    public void CheckProofPy_AgreesWithInclusionProof(string tampering)
    {
        var json = FileLogTree.ProveRecord(_log, 37).ToJson();
        var keys = new List<NoteVerifierKey> { Key.VerifierKey };
        using (var document = JsonDocument.Parse(json))
        {
            var firstHash = document.RootElement.GetProperty("path")[0].GetString()!;
            json = tampering switch
            {
                "record" => json.Replace("e-36", "e-35", StringComparison.Ordinal),
                "index" => json.Replace("\"index\": 36", "\"index\": 37", StringComparison.Ordinal),
                "path" => json.Replace(firstHash, Convert.ToBase64String(new byte[32]), StringComparison.Ordinal),
                _ => json,
            };
        }

        if (tampering == "wrong-key")
        {
            keys = [NoteSigningKey.Generate(Origin).VerifierKey];
        }

        var proofPath = Path.Combine(_files, "proof.json");
        File.WriteAllText(proofPath, json);
        bool expected;
        try
        {
            InclusionProof.Parse(json).Verify(keys);
            expected = true;
        }
        catch (NoteVerificationException)
        {
            expected = false;
        }

        var (exitCode, output) = RunPython("--check-proof", proofPath, "--public-key", keys[0].ToString(), "--json");

        Assert.Equal(tampering == "none", expected);
        Assert.Equal(expected ? 0 : 1, exitCode);
        using var result = JsonDocument.Parse(output);
        Assert.Equal(expected, result.RootElement.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public void VerifyTreePy_AWitnessKeyGivenAsTheLogsKey_ExitsTwo_ForTheLogAndForAProof_AsTheLibraryThrows()
    {
        var witness = NoteSigningKey.Generate("witness.example.org/w1", cosigner: true);
        var proofPath = Path.Combine(_files, "proof.json");
        File.WriteAllText(proofPath, FileLogTree.ProveRecord(_log, 5).ToJson());

        var log = PythonScript.Run("verify_tree.py", _log, "--public-key", witness.VerifierKey.ToString());
        var proof = PythonScript.Run("verify_tree.py", "--check-proof", proofPath, "--public-key", witness.VerifierKey.ToString());

        Assert.Throws<ArgumentException>(() => FileLogTree.Verify(_log, [witness.VerifierKey], null, TestContext.Current.CancellationToken));
        foreach (var (exitCode, output, error) in new[] { log, proof })
        {
            Assert.Equal(2, exitCode);
            Assert.Empty(output);
            Assert.Contains($"--public-key {witness.VerifierKey} is a witness's cosigner key, not a log's key", error, StringComparison.Ordinal);
        }
    }

    // A tree signed over records with two swapped: the path verifies, but the record is not the one with seq index + 1.
    [Fact]
    public void CheckProofPy_RecordNotAtThePlaceOfItsSeq_IsNotProven_AsInclusionProofSays()
    {
        var records = LogFixture.Segments(_log).SelectMany(s => LogFixture.Lines(s).Skip(1)).ToList();
        (records[40], records[41]) = (records[41], records[40]);
        var leaves = records.Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        var note = new Checkpoint(Origin, leaves.Count, ReferenceMerkleTree.Mth(leaves, 0, leaves.Count)).Sign(Key);
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["schema"] = InclusionProof.Schema,
            ["index"] = 40,
            ["record"] = records[40],
            ["path"] = new System.Text.Json.Nodes.JsonArray([.. ReferenceMerkleTree.Path(40, leaves, 0, leaves.Count).Select(h => (System.Text.Json.Nodes.JsonNode?)Convert.ToBase64String(h))]),
            ["checkpoint"] = note.ToString(),
        }.ToJsonString();
        var proofPath = Path.Combine(_files, "proof.json");
        File.WriteAllText(proofPath, json);

        var expected = Assert.Throws<NoteVerificationException>(() => InclusionProof.Parse(json).Verify([Key.VerifierKey]));
        var (exitCode, output) = RunPython("--check-proof", proofPath, "--public-key", Key.VerifierKey.ToString());

        Assert.Contains("but its seq is 42", expected.Message, StringComparison.Ordinal);
        Assert.Equal(1, exitCode);
        Assert.StartsWith("broken: the record is at index 40 of the signed tree, the place of the record with seq 41, but its seq is 42", output, StringComparison.Ordinal);
    }

    public static TheoryData<string> ConsistencyCases => ["none", "path", "from", "another-logs-key", "witness-only"];

    [Theory]
    [MemberData(nameof(ConsistencyCases))]
    public void CheckProofPy_ConsistencyProof_AgreesWithConsistencyProofVerify(string tampering)
    {
        var since = SignedNote.Parse(File.ReadAllText(Path.Combine(_files, "since")));
        var proof = System.Text.Json.Nodes.JsonNode.Parse((tampering == "witness-only" ? FileLogTree.ProveConsistency(_log, 90) : FileLogTree.ProveConsistency(_log, since)).ToJson())!;
        var keys = new List<NoteVerifierKey> { Key.VerifierKey };
        switch (tampering)
        {
            case "path":
                proof["path"]![0] = Convert.ToBase64String(new byte[32]);
                break;
            case "from":
                proof["from"] = 89;
                break;
            case "another-logs-key":
                keys = [NoteSigningKey.Generate("other.example.com/evil").VerifierKey];
                break;
        }

        var json = proof.ToJsonString();
        var proofPath = Path.Combine(_files, "consistency.json");
        File.WriteAllText(proofPath, json);
        int expected;
        try
        {
            ConsistencyProof.Parse(json).Verify(keys);
            expected = 0;
        }
        catch (NoteVerificationException)
        {
            expected = 1;
        }
        catch (InvalidOperationException)
        {
            expected = 2;
        }

        var (exitCode, output, error) = PythonScript.Run("verify_tree.py", "--check-proof", proofPath, "--public-key", keys[0].ToString(), "--json");

        Assert.Equal(tampering switch { "none" => 0, "witness-only" => 2, _ => 1 }, expected);
        Assert.Equal(expected, exitCode);
        if (expected == 0)
        {
            using var result = JsonDocument.Parse(output);
            Assert.Equal(90, result.RootElement.GetProperty("from").GetInt64());
            Assert.Equal(120, result.RootElement.GetProperty("to").GetInt64());
        }
        else if (expected == 2)
        {
            Assert.Contains("does not carry both checkpoints", error, StringComparison.Ordinal);
        }
    }

    // Proof files that access-report check-proof refuses as malformed (exit 2, FormatException from the parser), and two it
    // reads although Python's json would not as such (a UTF-8 BOM, which File.ReadAllText drops) or would not refuse.
    public static TheoryData<string, int> MalformedProofCases => new()
    {
        { "bom", 0 }, { "inclusion-bom", 0 }, { "nested-duplicate-ignored", 0 }, { "float-ignored", 0 }, { "lone-surrogate-ignored", 0 },
        { "duplicate-from", 2 }, { "from-exponent", 2 }, { "from-point-zero", 2 }, { "from-negative", 2 }, { "from-huge", 2 },
        { "from-string", 2 }, { "from-true", 2 }, { "from-nan", 2 }, { "index-too-large", 2 }, { "path-not-base64", 2 },
        { "path-31-bytes", 2 }, { "path-null", 2 }, { "from-checkpoint-null", 2 }, { "from-checkpoint-number", 2 },
        { "checkpoint-null", 2 }, { "checkpoint-lone-surrogate", 2 }, { "checkpoint-cr", 2 }, { "record-lone-surrogate", 2 },
        { "schema-wrong", 2 }, { "schema-missing", 2 }, { "trailing-data", 2 }, { "empty", 2 }, { "array", 2 },
        { "nested-65-deep", 2 }, { "nested-100000-deep", 2 }, { "directory", 2 },
    };

    [Theory]
    [MemberData(nameof(MalformedProofCases))]
    public void CheckProofPy_MalformedProof_ExitsAsCheckProof(string malformed, int expected)
    {
        var since = SignedNote.Parse(File.ReadAllText(Path.Combine(_files, "since")));
        var consistency = FileLogTree.ProveConsistency(_log, since).ToJson();
        var inclusion = FileLogTree.ProveRecord(_log, 5).ToJson();
        var from = "\"from\": 90";
        string Member(string json, string name, string value) =>
            json.Replace($"\"{name}\": ", $"\"{name}\": {value}, \"ignored-{name}\": ", StringComparison.Ordinal);
        var json = malformed switch
        {
            "bom" => "\uFEFF" + consistency,
            "inclusion-bom" => "\uFEFF" + inclusion,
            "nested-duplicate-ignored" => consistency.Replace("{", "{\"x\": {\"a\": 1, \"a\": 2}, ", StringComparison.Ordinal),
            "float-ignored" => consistency.Replace("{", "{\"x\": 1.5, ", StringComparison.Ordinal),
            "lone-surrogate-ignored" => consistency.Replace("{", "{\"x\": \"\\ud800\", ", StringComparison.Ordinal),
            "duplicate-from" => consistency.Replace(from, "\"from\": 5, " + from, StringComparison.Ordinal),
            "from-exponent" => consistency.Replace(from, "\"from\": 9e1", StringComparison.Ordinal),
            "from-point-zero" => consistency.Replace(from, "\"from\": 90.0", StringComparison.Ordinal),
            "from-negative" => consistency.Replace(from, "\"from\": -1", StringComparison.Ordinal),
            "from-huge" => consistency.Replace(from, "\"from\": 9223372036854775808", StringComparison.Ordinal),
            "from-string" => consistency.Replace(from, "\"from\": \"90\"", StringComparison.Ordinal),
            "from-true" => consistency.Replace(from, "\"from\": true", StringComparison.Ordinal),
            "from-nan" => consistency.Replace(from, "\"from\": NaN", StringComparison.Ordinal),
            "index-too-large" => inclusion.Replace("\"index\": 4", "\"index\": 9223372036854775807", StringComparison.Ordinal),
            "path-not-base64" => Member(consistency, "path", "[\"!!!!\"]"),
            "path-31-bytes" => Member(consistency, "path", $"[\"{Convert.ToBase64String(new byte[31])}\"]"),
            "path-null" => Member(consistency, "path", "null"),
            "from-checkpoint-null" => Member(consistency, "fromCheckpoint", "null"),
            "from-checkpoint-number" => Member(consistency, "fromCheckpoint", "5"),
            "checkpoint-null" => Member(inclusion, "checkpoint", "null"),
            "checkpoint-lone-surrogate" => consistency.Replace("\\n\\n\u2014", "\\ud800\\n\\n\u2014", StringComparison.Ordinal),
            "checkpoint-cr" => consistency.Replace("\\n\\n\u2014", "\\r\\n\\n\u2014", StringComparison.Ordinal),
            "record-lone-surrogate" => inclusion.Replace("\"record\": \"{", "\"record\": \"\\udc00{", StringComparison.Ordinal),
            "schema-wrong" => consistency.Replace("access-log-consistency/1", "access-log-consistency/2", StringComparison.Ordinal),
            "schema-missing" => consistency.Replace("\"schema\": \"access-log-consistency/1\",", string.Empty, StringComparison.Ordinal),
            "trailing-data" => consistency + "{}",
            "empty" => string.Empty,
            "array" => "[]",
            "nested-65-deep" => consistency.Replace("{", "{\"x\": " + new string('[', 64) + new string(']', 64) + ", ", StringComparison.Ordinal),
            "nested-100000-deep" => new string('[', 100000) + new string(']', 100000),
            _ => null,
        };
        Assert.True(json != consistency && (json is not null || malformed == "directory"), malformed);
        var proofPath = Path.Combine(_files, "malformed.json");
        if (malformed == "directory")
        {
            Directory.CreateDirectory(proofPath);
        }
        else
        {
            File.WriteAllText(proofPath, json, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            var read = File.ReadAllText(proofPath);
            Func<object> parse = read.Contains(ConsistencyProof.Schema, StringComparison.Ordinal) ? () => ConsistencyProof.Parse(read) : () => InclusionProof.Parse(read);
            if (expected == 2)
            {
                Assert.Throws<FormatException>(parse);
            }
            else
            {
                Assert.NotNull(parse());
            }
        }

        var (exitCode, _, error) = PythonScript.Run("verify_tree.py", "--check-proof", proofPath, "--public-key", Key.VerifierKey.ToString());

        Assert.Equal(expected, exitCode);
        Assert.DoesNotContain("Traceback", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("directory")]
    [InlineData("empty")]
    public void VerifyTreePy_SinceNotACheckpointFile_ExitsTwo(string since)
    {
        var path = Path.Combine(_files, "not-a-checkpoint");
        if (since == "directory")
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            File.WriteAllText(path, string.Empty);
        }

        var (exitCode, output, error) = PythonScript.Run("verify_tree.py", _log, "--public-key", Key.VerifierKey.ToString(), "--since", path);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains($"--since '{path}': not a readable signed checkpoint", error, StringComparison.Ordinal);
    }

    private void SignAsTheRecordsStand()
    {
        var leaves = LogFixture.Segments(_log).SelectMany(s => LogFixture.Lines(s).Skip(1)).Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        File.WriteAllText(Path.Combine(_log, "tree", "checkpoint"), new Checkpoint(Origin, leaves.Count, ReferenceMerkleTree.Mth(leaves, 0, leaves.Count)).Sign(Key).ToString());
    }

    private static void Corrupt(string tile)
    {
        var bytes = File.ReadAllBytes(tile);
        bytes[5 * 32] ^= 0x01;
        File.WriteAllBytes(tile, bytes);
    }

    private static (int ExitCode, string Output) RunPython(params string[] arguments)
    {
        var (exitCode, output, error) = PythonScript.Run("verify_tree.py", arguments);
        Assert.True(error.Length == 0, error);
        return (exitCode, output);
    }
}
