using System.Text.Json;

namespace DataAccessAudit.ReportGenerator.Tests;

// An auditor's session from the command line, holding only public keys: the operator signs a checkpoint, a witness
// cosigns it, one access is proven alone, and the whole log is verified against the witnessed checkpoint.
public sealed class TransparencyCommandTests : IClassFixture<DemoLogFixture>, IDisposable
{
    private const string Origin = "audit.example.com/demo";

    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-transparency-").FullName;
    private readonly string _log;
    private readonly string _keyFile;

    public TransparencyCommandTests(DemoLogFixture demo)
    {
        _log = demo.CopyLog(_directory);
        _keyFile = demo.KeyFile;
        Succeeds("keygen", "--name", Origin, "--out", File("log.key"));
        Succeeds("checkpoint", "--log", _log, "--key", File("log.key"), "--key-file", _keyFile);
        Succeeds("keygen", "--name", "witness.example.org/w1", "--out", File("w1.key"), "--cosigner");
        Succeeds("keygen", "--name", "witness.example.org/w2", "--out", File("w2.key"), "--cosigner");
        Succeeds("witness", "--state", File("w1-state"), "--key", File("w1.key"), "--log-key", File("log.key.pub"), "--checkpoint", Path.Combine(_log, "tree", "checkpoint"), "--out", File("witnessed"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("checkpoint", "--key")]
    [InlineData("prove", "--seq")]
    public void UsageError_ValueWithALineBreak_IsShownEscapedOnTheErrorLine_NotObeyed(string command, string other)
    {
        var log = Path.Combine(_directory, "no\nsuch log");
        var run = CommandRun.Of(command, "--log", log, other, other == "--seq" ? "1" : File("log.key"));

        Assert.Equal(2, run.ExitCode);
        var error = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("no\\u000Asuch log", error, StringComparison.Ordinal);
    }

    // A key file the user may not read ends the run as a usage error naming it, not with a stack trace and exit 1,
    // which verify and check-proof give only for a log or a proof that does not verify.
    [Theory]
    [InlineData("verify")]
    [InlineData("check-proof")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task PublicKeyFileThatCannotBeRead_ExitsTwoNamingIt(string command)
    {
        var key = File("unreadable.pub");
        System.IO.File.Copy(File("log.key.pub"), key);
        System.IO.File.SetUnixFileMode(key, UnixFileMode.None);
        Succeeds("prove", "--log", _log, "--seq", "1", "--out", File("proof.json"));
        string[] arguments = command == "verify" ? ["verify", "--log", _log, "--public-key", key] : ["check-proof", File("proof.json"), "--public-key", key];

        var (exitCode, _, error) = await ToolProcess.Run(arguments, unprivileged: true);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: --public-key '{key}': cannot read the file: Access to the path '{key}' is denied.\n", error.ReplaceLineEndings("\n"));
    }

    // A proof written earlier stays whole when the new one cannot be written: here a file size limit (512 bytes) that
    // the new proof exceeds while the earlier one fits under it, where an overwrite in place left part of the new one.
    [Fact]
    public async Task Prove_OutOverAnEarlierProof_WriteFailing_LeavesItAsItWas_AndNoTemporaryFile()
    {
        const string Script = """
            tool="$1"; log="$2"; out="$3"; results="$4"
            dotnet exec "$tool" prove --log "$log" --from 0 --out "$out"
            trap '' XFSZ
            ulimit -f 1
            set +e
            DOTNET_EnableWriteXorExecute=0 dotnet exec "$tool" prove --log "$log" --seq 100 --out "$out" 2> "$results/error"
            echo $? > "$results/exit"
            """;
        var output = Directory.CreateDirectory(File("proofs")).FullName;
        var proof = Path.Combine(output, "proof.json");
        var results = Directory.CreateDirectory(File("results")).FullName;

        var run = await ToolProcess.RunScript(Script, _log, proof, results);

        Assert.True(run.ExitCode == 0, $"the script failed ({run.ExitCode}): {run.Error}");
        Assert.Equal("2", System.IO.File.ReadAllText(Path.Combine(results, "exit")).Trim());
        Assert.StartsWith($"error: --out '{proof}': cannot write the file: ", System.IO.File.ReadAllText(Path.Combine(results, "error")), StringComparison.Ordinal);
        Assert.Equal(CommandRun.Of("prove", "--log", _log, "--from", "0").Output, System.IO.File.ReadAllText(proof));
        Assert.Equal([proof], Directory.GetFiles(output));
    }

    [Fact]
    public void Prove_OutADirectory_ExitsTwoSayingSo()
    {
        var run = CommandRun.Of("prove", "--log", _log, "--seq", "1", "--out", _directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: --out '{_directory}': is a directory; expected the file to write.\n", run.Error.ReplaceLineEndings("\n"));
    }

    // A pipe or a device is written to, not replaced: there is no file beside it to stage the proof in.
    [Fact]
    public async Task Prove_OutDevStdout_WritesTheProofToStandardOutput()
    {
        var (exitCode, output, error) = await ToolProcess.Run(["prove", "--log", _log, "--seq", "1", "--out", "/dev/stdout"]);

        Assert.True(exitCode == 0, error);
        Assert.Equal(CommandRun.Of("prove", "--log", _log, "--seq", "1").Output, output);
    }

    // Checkpoints signed at the same time (a scheduler's run beside an operator's) leave a tree that verifies: each
    // extends it in turn, none rebuilds or replaces tiles another is writing.
    [Fact]
    public async Task Checkpoint_SeveralAtOnce_AllSign_AndTheTreeVerifies()
    {
        var log = Path.Combine(Directory.CreateDirectory(File("concurrent")).FullName, "log");
        Directory.CreateDirectory(log);
        foreach (var segment in Directory.GetFiles(_log))
        {
            System.IO.File.Copy(segment, Path.Combine(log, Path.GetFileName(segment)));
        }

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ToolProcess.Run(["checkpoint", "--log", log, "--key", File("log.key"), "--key-file", _keyFile])));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Error));
        var verify = CommandRun.Of("verify", "--log", log, "--public-key", File("log.key.pub"));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    // A real full disk: the log and its signed tree on a tmpfs filled up, then checkpointed again. Every file of the
    // tree is replaced whole or not at all, so the failed run leaves the earlier checkpoint as it was and no temporary
    // file beside it or among the tiles.
    [Fact]
    public async Task Checkpoint_DiskFull_LeavesTheEarlierCheckpointAsItWas_AndNoTemporaryFile()
    {
        const string Script = """
            tool="$1"; fs="$2"; log="$3"; chainKeys="$4"; key="$5"; results="$6"
            mount -t tmpfs -o size=4m tmpfs "$fs"
            cp -r "$log" "$fs/log"
            dotnet exec "$tool" checkpoint --log "$fs/log" --key "$key" --key-file "$chainKeys" > /dev/null
            cp "$fs/log/tree/checkpoint" "$results/before"
            free=$(( $(stat -f -c %a "$fs") * $(stat -f -c %S "$fs") ))
            fallocate -l "$free" "$fs/filler"
            set +e
            dotnet exec "$tool" checkpoint --log "$fs/log" --key "$key" --key-file "$chainKeys" > /dev/null 2> "$results/error"
            echo $? > "$results/exit"
            find "$fs/log/tree" -name '*tmp*' > "$results/leftovers"
            cp "$fs/log/tree/checkpoint" "$results/after"
            """;
        var fileSystem = Directory.CreateDirectory(File("fs")).FullName;
        var results = Directory.CreateDirectory(File("results")).FullName;

        var run = await ToolProcess.RunInMountNamespace(Script, fileSystem, _log, _keyFile, File("log.key"), results);

        Assert.True(run.ExitCode == 0, $"the script failed ({run.ExitCode}): {run.Error}");
        var error = System.IO.File.ReadAllText(Path.Combine(results, "error"));
        Assert.NotEqual("0", System.IO.File.ReadAllText(Path.Combine(results, "exit")).Trim());
        Assert.Contains("No space left on device", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, System.IO.File.ReadAllText(Path.Combine(results, "leftovers")));
        Assert.Equal(System.IO.File.ReadAllText(Path.Combine(results, "before")), System.IO.File.ReadAllText(Path.Combine(results, "after")));
    }

    [Fact]
    public void Verify_AnEmptyPublicKeyFile_NamesTheFile()
    {
        var empty = File("empty.pub");
        System.IO.File.WriteAllText(empty, "# no key yet\n");

        var run = CommandRun.Of("verify", "--log", _log, "--public-key", empty);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"error: --public-key '{empty}': the file holds no key (it is empty, or only comments); expected a verifier key (name+hash+base64) or a file holding one a line.\n",
            run.Error.ReplaceLineEndings("\n"));
    }

    // A directory where a file is expected is called one, not "access denied" (which it is not, even as root).
    [Theory]
    [InlineData("verify --public-key", "--public-key", "a verifier key (name+hash+base64) or a file holding one a line")]
    [InlineData("verify --since", "--since", "a signed checkpoint file")]
    [InlineData("check-proof", "PROOF", "a proof file written by prove")]
    [InlineData("checkpoint", "--key", "a private key file (from keygen)")]
    [InlineData("witness --proof", "--proof", "a consistency proof file (prove --from SIZE)")]
    [InlineData("witness --checkpoint", "--checkpoint", "a signed checkpoint file")]
    public void DirectoryGivenForAFile_ExitsTwoSayingSo(string form, string option, string expected)
    {
        var directory = Directory.CreateDirectory(File("a directory")).FullName;
        var pub = File("log.key.pub");
        var checkpoint = Path.Combine(_log, "tree", "checkpoint");
        string[] arguments = form switch
        {
            "verify --public-key" => ["verify", "--log", _log, "--public-key", directory],
            "verify --since" => ["verify", "--log", _log, "--public-key", pub, "--since", directory],
            "check-proof" => ["check-proof", directory, "--public-key", pub],
            "checkpoint" => ["checkpoint", "--log", _log, "--key", directory],
            "witness --proof" => ["witness", "--state", File("w1-state"), "--key", File("w1.key"), "--log-key", pub, "--checkpoint", checkpoint, "--proof", directory],
            _ => ["witness", "--state", File("w1-state"), "--key", File("w1.key"), "--log-key", pub, "--checkpoint", directory],
        };

        var run = CommandRun.Of(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {option} '{directory}': is a directory; expected {expected}.\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Verify_SinceTheHeadsOfAPostgreSqlStore_ExitsTwoNamingTheCommandTheyAreFor()
    {
        var heads = File("heads.json");
        System.IO.File.WriteAllText(heads, "{\"schema\":\"access-store-heads/1\",\"instances\":[]}\n");

        var run = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"), "--since", heads);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: --since '{heads}': not a readable signed checkpoint: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("(the heads of a PostgreSQL store, access-store-heads/1, are checked with verify --postgres CONNECTION --since FILE)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WithTheWitnessedCheckpoint_IsIntactAndWitnessed()
    {
        var run = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"), "--since", File("witnessed"), "--witness-key", File("w1.key.pub"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"witnessed: the --since checkpoint (tree size {DemoLogFixture.Events}) is cosigned by 1 of 1 given witness (witness.example.org/w1); 1 required.", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Verify_RequiringTwoCosignaturesWhenOneWitnessCosigned_ExitsThreeNotWitnessed()
    {
        var run = CommandRun.Of(
            "verify", "--log", _log, "--public-key", File("log.key.pub"), "--since", File("witnessed"),
            "--witness-key", File("w1.key.pub"), "--witness-key", File("w2.key.pub"), "--min-cosignatures", "2");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("not witnessed: the --since checkpoint (tree size 400) has 1 valid cosignature by the given witnesses (witness.example.org/w1); 2 required.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TheLogsOwnCheckpointWhichNoWitnessCosigned_ExitsThree()
    {
        var run = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"), "--witness-key", File("w1.key.pub"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("not witnessed: the log's checkpoint (tree size 400) has 0 valid cosignatures by the given witnesses (none); 1 required.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TailCut_CheckpointRefuses_AndAResignedTreeIsBrokenAgainstTheWitnessedCheckpoint()
    {
        var segment = Directory.GetFiles(_log, "segment-*.jsonl").Order(StringComparer.Ordinal).Last();
        var lines = System.IO.File.ReadAllLines(segment);
        System.IO.File.WriteAllText(segment, string.Join('\n', lines[..^3]) + "\n");
        var refused = CommandRun.Of("checkpoint", "--log", _log, "--key", File("log.key"));
        Directory.Delete(Path.Combine(_log, "tree"), recursive: true);   // an operator covering the cut signs a new tree
        Succeeds("checkpoint", "--log", _log, "--key", File("log.key"));

        var own = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"));
        var against = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"), "--since", File("witnessed"), "--witness-key", File("w1.key.pub"));

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("holds 397 records but its last checkpoint covers 400: records were cut from its end", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, own.ExitCode);
        Assert.Equal(1, against.ExitCode);
        Assert.DoesNotContain("witnessed:", against.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProveAnEvent_ThenCheckTheProofWithThePublicKeyAlone_AndATamperedProofFails()
    {
        var id = EventId(seq: 37);
        Succeeds("prove", "--log", _log, "--event", id, "--out", File("proof.json"));

        var check = CommandRun.Of("check-proof", File("proof.json"), "--public-key", File("log.key.pub"));
        var proof = System.IO.File.ReadAllText(File("proof.json"));
        System.IO.File.WriteAllText(File("forged.json"), proof.Replace(id, id + "x", StringComparison.Ordinal));
        var forged = CommandRun.Of("check-proof", File("forged.json"), "--public-key", File("log.key.pub"));

        Assert.Equal(0, check.ExitCode);
        Assert.Equal(36, JsonDocument.Parse(proof).RootElement.GetProperty("index").GetInt64());
        Assert.Equal(1, forged.ExitCode);
    }

    [Theory]
    [InlineData("--min-cosignatures", "1", "--min-cosignatures needs --witness-key")]
    [InlineData("--witness-key", "w2.key.pub", "--min-cosignatures 3: expected from 1 to the number of distinct witness keys given (2).")]
    [InlineData("--witness-key", "log.key.pub", "a signing key; expected a witness's cosigner key")]
    public void Verify_WitnessOptionsMisused_ExitsTwoSayingWhy(string option, string value, string expected)
    {
        string[] extra = option == "--min-cosignatures"
            ? [option, value]
            : value == "w2.key.pub"
                ? ["--witness-key", File("w1.key.pub"), "--witness-key", File(value), "--min-cosignatures", "3"]
                : [option, File(value)];

        var run = CommandRun.Of(["verify", "--log", _log, "--public-key", File("log.key.pub"), .. extra]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--witness-key", "--witness-key needs --public-key")]
    [InlineData("--min-cosignatures", "--min-cosignatures needs --public-key")]
    [InlineData("--since --witness-key --min-cosignatures", "--since, --witness-key and --min-cosignatures need --public-key")]
    public void Verify_CheckpointOptionsWithoutPublicKey_ExitsTwoNamingThem(string options, string expected)
    {
        string[] given = [.. options.Split(' ').SelectMany(option => option switch
        {
            "--since" => [option, File("witnessed")],
            "--witness-key" => [option, File("w1.key.pub")],
            _ => new[] { option, "1" },
        })];

        var run = CommandRun.Of(["verify", "--log", _log, "--key-file", _keyFile, .. given]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"error: {expected}: checkpoints are checked with the log's public key.", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Verify_PostgresWithMinCosignatures_ExitsTwo()
    {
        var run = CommandRun.Of("verify", "--postgres", "Host=localhost;Database=none", "--min-cosignatures", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--min-cosignatures: only with --log DIR", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PublicKeyAndRequireKeyWithoutKeyFile_ExitsThreeSayingTheChainWasNotCheckedWithItsKey()
    {
        var run = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"), "--require-key");
        var keyed = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"), "--key-file", _keyFile, "--require-key");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{Environment.NewLine}unverified: {DemoLogFixture.Events} records", run.Output, StringComparison.Ordinal);
        Assert.Contains("The log is keyed: give its key file with --key-file to check the chain.", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, keyed.ExitCode);
        Assert.Contains($"{Environment.NewLine}verified: {DemoLogFixture.Events} records", keyed.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string> UnusableStates => ["a file", "emptied", "a directory"];

    [Theory]
    [MemberData(nameof(UnusableStates))]
    public void Witness_StateUnusable_ExitsTwoNamingTheState_NotARefusal(string state)
    {
        var directory = File("w1-state");
        var entry = Directory.GetFiles(directory).Single();
        switch (state)
        {
            case "a file":
                directory = File("log.key.pub");
                break;
            case "emptied":
                System.IO.File.WriteAllText(entry, string.Empty);
                break;
            default:
                System.IO.File.Delete(entry);
                Directory.CreateDirectory(entry);
                break;
        }

        var run = Witness(directory);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: --state '{directory}': ", run.Error, StringComparison.Ordinal);
        Assert.Contains(state == "a file" ? "is a file, not a directory" : $"'{entry}' for {Origin} is not the checkpoint this witness last accepted", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Witness_CheckpointSmallerThanTheAccepted_IsRefusedSayingRefusedOnce()
    {
        var segment = Directory.GetFiles(_log, "segment-*.jsonl").Order(StringComparer.Ordinal).Last();
        var lines = System.IO.File.ReadAllLines(segment);
        System.IO.File.WriteAllText(segment, string.Join('\n', lines[..^3]) + "\n");
        Directory.Delete(Path.Combine(_log, "tree"), recursive: true);
        Succeeds("checkpoint", "--log", _log, "--key", File("log.key"));

        var run = Witness(File("w1-state"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"refused: The checkpoint of {Origin} covers 397 records, fewer than the 400 already accepted: the log was cut or forked.\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("witness", "--key", "log.key", "signing key audit.example.com/demo+")]
    [InlineData("witness", "--log-key", "w1.key.pub", "--log-key: witness.example.org/w1+")]
    [InlineData("checkpoint", "--key", "w1.key", "is a witness's cosigner key, not a log's signing key")]
    public void KeyOfTheWrongKind_ExitsTwoNamingTheOption(string command, string option, string key, string expected)
    {
        var run = command == "checkpoint"
            ? CommandRun.Of("checkpoint", "--log", _log, "--key", File(key))
            : option == "--key"
                ? CommandRun.Of("witness", "--state", File("w1-state"), "--key", File(key), "--log-key", File("log.key.pub"), "--checkpoint", Path.Combine(_log, "tree", "checkpoint"))
                : CommandRun.Of("witness", "--state", File("w1-state"), "--key", File("w1.key"), "--log-key", File(key), "--checkpoint", Path.Combine(_log, "tree", "checkpoint"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + (option == "--key" ? $"--key '{File(key)}': " : "--log-key: "), run.Error, StringComparison.Ordinal);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Contains(option == "--log-key" ? "is a witness's cosigner key, not a log's key" : "cosigner key", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("check-proof")]
    public void PublicKey_AWitnessKey_ExitsTwoSayingItIsNotTheLogsKey_NotBrokenOrNotProven(string command)
    {
        Succeeds("prove", "--log", _log, "--seq", "5", "--out", File("proof.json"));

        var run = command == "verify"
            ? CommandRun.Of("verify", "--log", _log, "--public-key", File("w1.key.pub"))
            : CommandRun.Of("check-proof", File("proof.json"), "--public-key", File("w1.key.pub"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --public-key: witness.example.org/w1+", run.Error, StringComparison.Ordinal);
        Assert.Contains("is a witness's cosigner key, not a log's key", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("check-proof")]
    [InlineData("witness")]
    public void Help_StatesExitTwoForAUsageErrorOrMalformedInput(string command)
    {
        var run = CommandRun.Of(command, "--help");
        var help = string.Join(' ', run.Output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));   // unwrapped

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(", 1 when ", help, StringComparison.Ordinal);
        Assert.Contains(", 2 on a usage error", help, StringComparison.Ordinal);
        Assert.Contains("malformed", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no checkpoint", "\"checkpoint\": missing; expected the signed checkpoint note (a string).")]
    [InlineData("index as a string", "\"index\": expected a whole number from 0 to 9223372036854775806, got \"36\".")]
    [InlineData("index 2^63", "\"index\": expected a whole number from 0 to 9223372036854775806, got 9223372036854775808.")]
    [InlineData("an array", "expected a JSON object, an access-log-inclusion/1 proof; got [].")]
    [InlineData("not base64", "\"path\"[0]: expected a base64 SHA-256 hash (32 bytes, 44 characters), got \"!!!\".")]
    public void CheckProof_MalformedProof_ExitsTwoNamingTheMember(string edit, string expected)
    {
        Succeeds("prove", "--log", _log, "--seq", "37", "--out", File("proof.json"));
        var proof = System.IO.File.ReadAllText(File("proof.json"));
        var firstHash = JsonDocument.Parse(proof).RootElement.GetProperty("path")[0].GetString()!;
        System.IO.File.WriteAllText(File("proof.json"), edit switch
        {
            "no checkpoint" => proof[..proof.IndexOf(",\n  \"checkpoint\"", StringComparison.Ordinal)] + "\n}\n",
            "index as a string" => proof.Replace("\"index\": 36", "\"index\": \"36\"", StringComparison.Ordinal),
            "index 2^63" => proof.Replace("\"index\": 36", "\"index\": 9223372036854775808", StringComparison.Ordinal),
            "an array" => "[]",
            _ => proof.Replace(firstHash, "!!!", StringComparison.Ordinal),
        });

        var run = CommandRun.Of("check-proof", File("proof.json"), "--public-key", File("log.key.pub"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: PROOF '{File("proof.json")}': {expected}\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("\"schema\": \"access-log-inclusion/1\"", "\"schema\": \"access-log-consistency/\\ud800\"")]
    [InlineData("\"schema\": \"access-log-inclusion/1\"", "\"\\udfff\": 1, \"schema\": \"access-log-inclusion/1\"")]
    public void CheckProof_EscapedSurrogateWithoutItsPair_ExitsTwoWithoutAStackTrace(string find, string replace)
    {
        Succeeds("prove", "--log", _log, "--seq", "37", "--out", File("proof.json"));
        var proof = System.IO.File.ReadAllText(File("proof.json"));
        Assert.Contains(find, proof, StringComparison.Ordinal);
        System.IO.File.WriteAllText(File("proof.json"), proof.Replace(find, replace, StringComparison.Ordinal));

        var run = CommandRun.Of("check-proof", File("proof.json"), "--public-key", File("log.key.pub"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: PROOF '{File("proof.json")}': ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Witness_MalformedConsistencyProof_ExitsTwoNamingTheMember()
    {
        System.IO.File.WriteAllText(File("consistency.json"), "{\"schema\":\"access-log-consistency/1\",\"from\":1.5,\"to\":400,\"path\":[]}");

        var run = CommandRun.Of(
            "witness", "--state", File("w1-state"), "--key", File("w1.key"), "--log-key", File("log.key.pub"),
            "--checkpoint", Path.Combine(_log, "tree", "checkpoint"), "--proof", File("consistency.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--proof '{File("consistency.json")}': \"from\": expected a whole number from 0 to 9223372036854775807, got 1.5.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Prove_InteriorTileCorrupt_ExitsOneWritingNoProof_AndVerifyIsBrokenNamingTheTile()
    {
        // 400 records: tile 0/000 is full and folds into tile 1/000.p/1; no root is computed from its hashes.
        var tile = Path.Combine(_log, "tree", "tile", "0", "000");
        using (var stream = System.IO.File.OpenWrite(tile))
        {
            stream.Position = 5 * 32;
            stream.Write("XXXX"u8);
        }

        var prove = CommandRun.Of("prove", "--log", _log, "--seq", "5", "--out", File("proof.json"));
        var verify = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"));
        Directory.Delete(Path.Combine(_log, "tree", "tile"), recursive: true);
        Succeeds("checkpoint", "--log", _log, "--key", File("log.key"));
        Succeeds("prove", "--log", _log, "--seq", "5", "--out", File("rebuilt.json"));
        var check = CommandRun.Of("check-proof", File("rebuilt.json"), "--public-key", File("log.key.pub"));

        Assert.Equal(1, prove.ExitCode);
        Assert.Contains("No proof was made: the tree under ", prove.Error, StringComparison.Ordinal);
        Assert.Contains("its tile tile/0/000 does not hold the hashes the tiles above it sign", prove.Error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(File("proof.json")));
        Assert.Equal(1, verify.ExitCode);
        Assert.StartsWith("broken: the records are those its checkpoint signs, but ", verify.Output, StringComparison.Ordinal);
        Assert.Contains("tile/0/000", verify.Output, StringComparison.Ordinal);
        Assert.Equal(0, check.ExitCode);
    }

    // --public-key is repeatable for a rotation under the log's name; another log's key given beside it must not sign
    // for this log, nor poison a witness given it by mistake.
    [Fact]
    public void VerifyAndWitness_CheckpointSignedByAnotherLogsKey_AreRefused_AndTheWitnessStillAcceptsTheLog()
    {
        Succeeds("keygen", "--name", "other.example.com/evil", "--out", File("evil.key"));
        var checkpointPath = Path.Combine(_log, "tree", "checkpoint");
        System.IO.File.Copy(checkpointPath, File("genuine"));
        var genuine = DataAccessAudit.Transparency.SignedNote.Parse(System.IO.File.ReadAllText(checkpointPath));
        var forged = DataAccessAudit.Transparency.SignedNote.FromText(genuine.Text).Sign(DataAccessAudit.Transparency.NoteSigningKey.Load(File("evil.key")));
        System.IO.File.WriteAllText(checkpointPath, forged.ToString());

        var verify = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"), "--public-key", File("evil.key.pub"));
        var witness = CommandRun.Of("witness", "--state", File("w2-state"), "--key", File("w2.key"), "--log-key", File("evil.key.pub"), "--checkpoint", checkpointPath);
        var genuineWitnessed = CommandRun.Of("witness", "--state", File("w2-state"), "--key", File("w2.key"), "--log-key", File("log.key.pub"), "--checkpoint", File("genuine"));

        Assert.Equal(1, verify.ExitCode);
        Assert.StartsWith("broken: the log's checkpoint is not trusted: The note is signed by no key given (signed by: other.example.com/evil+", verify.Output, StringComparison.Ordinal);
        Assert.Equal(1, witness.ExitCode);
        Assert.StartsWith($"refused: The checkpoint is of '{Origin}' but no key given is named so (given: other.example.com/evil+", witness.Error, StringComparison.Ordinal);
        Assert.Equal(0, genuineWitnessed.ExitCode);
    }

    // A record changed before the first checkpoint covering it would be sealed by it, after which verify --public-key
    // vouches for it: with the chain keys the checkpoint is refused, naming the break; without them it warns.
    [Fact]
    public void Checkpoint_RecordEditedBeforeItsFirstCheckpoint_IsRefusedWithTheChainKeys_AndSignedWithAWarningWithout()
    {
        Directory.Delete(Path.Combine(_log, "tree"), recursive: true);   // sealing the log as it stands
        var segment = Directory.GetFiles(_log, "segment-*.jsonl").Order(StringComparer.Ordinal).First();
        var lines = System.IO.File.ReadAllLines(segment);
        var edited = lines[10].Replace("\"action\":\"read\"", "\"action\":\"view\"", StringComparison.Ordinal);
        Assert.NotEqual(lines[10], edited);
        lines[10] = edited;
        System.IO.File.WriteAllText(segment, string.Join('\n', lines) + "\n");

        var refused = CommandRun.Of("checkpoint", "--log", _log, "--key", File("log.key"), "--key-file", _keyFile);
        var signedBefore = System.IO.File.Exists(Path.Combine(_log, "tree", "checkpoint"));
        var withoutKeys = CommandRun.Of("checkpoint", "--log", _log, "--key", File("log.key"));

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"error: No checkpoint was signed: the chain of the log '{_log}' is broken: {segment}:11: ", refused.Error, StringComparison.Ordinal);
        Assert.False(signedBefore);
        Assert.Equal(0, withoutKeys.ExitCode);
        Assert.Contains("warning: the log's chain was not checked before signing (it is keyed): give its keys with --key-file", withoutKeys.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoint_WithTheChainKeys_SignsEveryRecordWithoutAWarning()
    {
        var records = Directory.GetFiles(_log, "segment-*.jsonl").Sum(file => System.IO.File.ReadLines(file).Count() - 1);

        var run = CommandRun.Of("checkpoint", "--log", _log, "--key", File("log.key"), "--key-file", _keyFile);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.Equal(records.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Output.Split('\n')[1]);
    }

    // A last line cut short with no writer to finish it reads as broken to verify; signing it away would hide that.
    // The writer that opens the log next moves the torn bytes aside and records that it did.
    [Fact]
    public void Checkpoint_TornLastLineWithNoWriter_IsRefusedNamingIt()
    {
        var segment = Directory.GetFiles(_log, "segment-*.jsonl").Order(StringComparer.Ordinal).Last();
        var before = System.IO.File.ReadAllBytes(Path.Combine(_log, "tree", "checkpoint"));
        System.IO.File.AppendAllText(segment, "{\"schema\":\"access-event/1\",\"id\":\"torn");

        var run = CommandRun.Of("checkpoint", "--log", _log, "--key", File("log.key"), "--key-file", _keyFile);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is broken: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("the log was cut off in the middle of a line", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, System.IO.File.ReadAllBytes(Path.Combine(_log, "tree", "checkpoint")));
    }

    [Fact]
    public void VerifyProveAndCheckpoint_RecordDeletedMidLog_ExitOneNamingTheRecordOutOfSequence()
    {
        var segment = Directory.GetFiles(_log, "segment-*.jsonl").Order(StringComparer.Ordinal).First();
        var lines = System.IO.File.ReadAllLines(segment).ToList();
        var seq = JsonDocument.Parse(lines[6]).RootElement.GetProperty("seq").GetInt64();
        lines.RemoveAt(5);
        System.IO.File.WriteAllText(segment, string.Join('\n', lines) + "\n");
        var expected = $"Record {seq - 1} is out of sequence: line 6 of '{segment}', its place in the log, holds the record with seq {seq}.";

        var verify = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"));
        var prove = CommandRun.Of("prove", "--log", _log, "--seq", (seq - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", File("proof.json"));
        Directory.Delete(Path.Combine(_log, "tree"), recursive: true);   // sealing the log as it stands
        var checkpoint = CommandRun.Of("checkpoint", "--log", _log, "--key", File("log.key"));

        Assert.Equal(1, verify.ExitCode);
        Assert.StartsWith("broken: " + expected, verify.Output, StringComparison.Ordinal);
        Assert.Equal(1, prove.ExitCode);
        Assert.StartsWith("error: " + expected, prove.Error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(File("proof.json")));
        Assert.Equal(1, checkpoint.ExitCode);
        Assert.StartsWith($"error: No checkpoint was signed: the chain of the log '{_log}' is broken: {segment}:6: deleted at sequence {seq - 1}: ", checkpoint.Error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(Path.Combine(_log, "tree", "checkpoint")));
    }

    [Fact]
    public void Verify_LogsCheckpointOlderThanTheWitnessedOne_ExitsOneSayingRolledBack()
    {
        // A checkpoint the log signed before the witnessed one (here of the empty tree) put back as its last.
        var empty = new DataAccessAudit.Transparency.Checkpoint(Origin, 0, System.Security.Cryptography.SHA256.HashData([]));
        System.IO.File.WriteAllText(Path.Combine(_log, "tree", "checkpoint"), empty.Sign(DataAccessAudit.Transparency.NoteSigningKey.Load(File("log.key"))).ToString());

        var run = CommandRun.Of("verify", "--log", _log, "--public-key", File("log.key.pub"), "--since", File("witnessed"), "--witness-key", File("w1.key.pub"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"broken: the log's checkpoint covers 0 records, fewer than the {DemoLogFixture.Events} of the checkpoint kept earlier: the log was rolled back (an older checkpoint put back in place of the newer, or records cut and a smaller tree signed)\n", run.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ProveSince_CheckProofVerifiesTheExtension_AWitnessOnlyProofExitsTwo_AndATamperedOneOne()
    {
        // An older checkpoint: the log's first 390 records, sealed when it held no more.
        var older = Path.Combine(_directory, "older");
        Directory.CreateDirectory(older);
        var segments = Directory.GetFiles(_log, "segment-*.jsonl").Order(StringComparer.Ordinal).ToList();
        foreach (var segment in segments)
        {
            System.IO.File.Copy(segment, Path.Combine(older, Path.GetFileName(segment)));
        }

        var last = Path.Combine(older, Path.GetFileName(segments[^1]));
        var lines = System.IO.File.ReadAllLines(last);
        System.IO.File.WriteAllText(last, string.Join('\n', lines[..^10]) + "\n");
        Succeeds("checkpoint", "--log", older, "--key", File("log.key"));

        Succeeds("prove", "--log", _log, "--since", Path.Combine(older, "tree", "checkpoint"), "--out", File("consistency.json"));
        Succeeds("prove", "--log", _log, "--from", "390", "--out", File("for-witness.json"));
        var check = CommandRun.Of("check-proof", File("consistency.json"), "--public-key", File("log.key.pub"));
        var witnessOnly = CommandRun.Of("check-proof", File("for-witness.json"), "--public-key", File("log.key.pub"));
        var proof = JsonDocument.Parse(System.IO.File.ReadAllText(File("consistency.json"))).RootElement;
        System.IO.File.WriteAllText(File("tampered.json"), System.IO.File.ReadAllText(File("consistency.json")).Replace(proof.GetProperty("path")[0].GetString()!, Convert.ToBase64String(new byte[32]), StringComparison.Ordinal));
        var tampered = CommandRun.Of("check-proof", File("tampered.json"), "--public-key", File("log.key.pub"));

        Assert.Equal(0, check.ExitCode);
        Assert.StartsWith($"verified: the checkpoint of {Origin} at 400 records (root ", check.Output, StringComparison.Ordinal);
        Assert.Contains("extends the one at 390 records", check.Output, StringComparison.Ordinal);
        Assert.Equal(390, proof.GetProperty("from").GetInt64());
        Assert.Equal(System.IO.File.ReadAllText(Path.Combine(older, "tree", "checkpoint")), proof.GetProperty("fromCheckpoint").GetString());
        Assert.Equal(System.IO.File.ReadAllText(Path.Combine(_log, "tree", "checkpoint")), proof.GetProperty("checkpoint").GetString());
        Assert.Equal(2, witnessOnly.ExitCode);
        Assert.Contains("carries only the newer checkpoint", witnessOnly.Error, StringComparison.Ordinal);
        Assert.Contains("prove --log DIR --since FILE", witnessOnly.Error, StringComparison.Ordinal);
        Assert.Equal(1, tampered.ExitCode);
        Assert.StartsWith("not verified: The proof does not show that the checkpoint at 400 records extends the one at 390", tampered.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Witness_ASigningKeyAsItsKey_NamesTheKeygenFlag()
    {
        var run = CommandRun.Of("witness", "--state", File("w1-state"), "--key", File("log.key"), "--log-key", File("log.key.pub"), "--checkpoint", Path.Combine(_log, "tree", "checkpoint"));

        Assert.Equal(2, run.ExitCode);
        Assert.EndsWith("is not a cosigner key: generate the witness's key with keygen --name NAME --out FILE --cosigner.\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("cosigner: true", run.Error, StringComparison.Ordinal);
    }

    private CommandRun Witness(string state) =>
        CommandRun.Of("witness", "--state", state, "--key", File("w1.key"), "--log-key", File("log.key.pub"), "--checkpoint", Path.Combine(_log, "tree", "checkpoint"));

    [Theory]
    [InlineData("verify", "--key-file", "rewrite the log so that it still verifies")]
    [InlineData("checkpoint", "--key", "sign checkpoints of a rewritten log")]
    [InlineData("witness", "--key", "cosign checkpoints in the witness's name")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyFileOthersCanRead_IsUsed_WithAWarningNamingItsModeWhatItExposesAndTheFix(string command, string option, string exposes)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has access lists, not modes");
        var exposed = File("exposed.key");
        System.IO.File.Copy(command switch { "verify" => _keyFile, "checkpoint" => File("log.key"), _ => File("w2.key") }, exposed);
        System.IO.File.SetUnixFileMode(exposed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        string[] args = command switch
        {
            "verify" => ["verify", "--log", _log, "--key-file", exposed],
            "checkpoint" => ["checkpoint", "--log", _log, "--key", exposed, "--key-file", _keyFile],
            _ => ["witness", "--state", File("w2-state"), "--key", exposed, "--log-key", File("log.key.pub"), "--checkpoint", Path.Combine(_log, "tree", "checkpoint"), "--out", File("witnessed-2")],
        };

        var run = CommandRun.Of(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            $"warning: {option}: the key file '{exposed}' can be read or written by others than its owner (mode 0644): whoever reads it can {exposes}. Make it the owner's alone: chmod 600 '{exposed}'.\n",
            run.Error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("checkpoint")]
    public void KeyFileOnlyItsOwnerCanRead_GivesNoWarning(string command)
    {
        var run = command == "verify"
            ? CommandRun.Of("verify", "--log", _log, "--key-file", _keyFile)
            : CommandRun.Of("checkpoint", "--log", _log, "--key", File("log.key"), "--key-file", _keyFile);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
    }

    private static void Succeeds(params string[] args)
    {
        var run = CommandRun.Of(args);
        Assert.True(run.ExitCode == 0, $"{string.Join(' ', args)}: exit {run.ExitCode}\n{run.Output}\n{run.Error}");
    }

    private string File(string name) => Path.Combine(_directory, name);

    private string EventId(long seq)
    {
        foreach (var segment in Directory.GetFiles(_log, "segment-*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in System.IO.File.ReadLines(segment).Skip(1))
            {
                using var record = JsonDocument.Parse(line);
                if (record.RootElement.GetProperty("seq").GetInt64() == seq)
                {
                    return record.RootElement.GetProperty("id").GetString()!;
                }
            }
        }

        throw new InvalidOperationException($"no record {seq}");
    }
}
