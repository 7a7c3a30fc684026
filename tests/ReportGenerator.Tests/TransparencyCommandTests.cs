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
        Succeeds("checkpoint", "--log", _log, "--key", File("log.key"));
        Succeeds("keygen", "--name", "witness.example.org/w1", "--out", File("w1.key"), "--cosigner");
        Succeeds("keygen", "--name", "witness.example.org/w2", "--out", File("w2.key"), "--cosigner");
        Succeeds("witness", "--state", File("w1-state"), "--key", File("w1.key"), "--log-key", File("log.key.pub"), "--checkpoint", Path.Combine(_log, "tree", "checkpoint"), "--out", File("witnessed"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
