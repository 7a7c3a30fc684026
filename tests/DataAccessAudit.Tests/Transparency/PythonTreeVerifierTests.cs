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

    public static TheoryData<string> Cases => ["none", "changed", "deleted", "cut", "forged", "wrong-key", "rewritten-and-resigned", "torn"];

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
        }

        var since = SignedNote.Parse(File.ReadAllText(Path.Combine(_files, "since")));
        var expected = FileLogTree.Verify(_log, keys, since, TestContext.Current.CancellationToken);

        var (exitCode, output) = RunPython(_log, "--public-key", Path.Combine(_files, "key.pub"), "--since", Path.Combine(_files, "since"), "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(expected.IsIntact ? 0 : 1, exitCode);
        Assert.Equal(expected.IsIntact, json.RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal(tampering is "none" or "torn", expected.IsIntact);
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

    // What a finding is about, from the words both verifiers use.
    private static string Kind(string problem) =>
        problem.Contains("cut from its end", StringComparison.Ordinal) ? "cut"
        : problem.Contains("past was rewritten", StringComparison.Ordinal) ? "rewritten"
        : problem.Contains("do not hash to the root", StringComparison.Ordinal) ? "modified"
        : problem.Contains("does not verify", StringComparison.Ordinal) ? "bad-signature"
        : problem.Contains("signed by no key given", StringComparison.OrdinalIgnoreCase) ? "unknown-key"
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

    private static (int ExitCode, string Output) RunPython(params string[] arguments)
    {
        var (exitCode, output, error) = PythonScript.Run("verify_tree.py", arguments);
        Assert.True(error.Length == 0, error);
        return (exitCode, output);
    }
}
