namespace DataAccessAudit.ReportGenerator.Tests;

/// <summary>
/// Keys, policies, checkpoints and proofs are small files: one given as a device that never ends is refused at the
/// bound with one line naming it, where it was read until memory ran out; one given through a pipe is read as before.
/// </summary>
public sealed class OversizedInputTests : IClassFixture<DemoLogFixture>, IDisposable
{
    private readonly DemoLogFixture _demo;
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-oversized-").FullName;

    public OversizedInputTests(DemoLogFixture demo) => _demo = demo;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // In a process of its own: without the bound the tool ends in an out-of-memory crash, which would end the tests.
    [Theory]
    [InlineData("--key-file", "the key file")]
    [InlineData("--public-key", "the file")]
    [InlineData("--policy", "the file")]
    [InlineData("--since", "the file")]
    public async Task Option_ADeviceWithoutEnd_ExitsTwoNamingTheFileAndTheBound(string option, string what)
    {
        var signingKey = Path.Combine(_directory, "log.key");
        Assert.Equal(0, CommandRun.Of("keygen", "--name", "audit.example.com/demo", "--out", signingKey).ExitCode);
        string[] arguments = option switch
        {
            "--key-file" => ["verify", "--log", _demo.Log, "--key-file", "/dev/zero"],
            "--public-key" => ["verify", "--log", _demo.Log, "--public-key", "/dev/zero"],
            "--policy" => ["report", "--log", _demo.Log, "--policy", "/dev/zero", "--out", Path.Combine(_directory, "out")],
            _ => ["verify", "--log", _demo.Log, "--public-key", signingKey + ".pub", "--since", "/dev/zero"],
        };

        var run = await ToolProcess.Run(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"error: {option} '/dev/zero': cannot read {what}: '/dev/zero' holds more than 1,048,576 bytes (1 MiB), the most a key, policy, checkpoint or proof file may hold.\n",
            run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task KeyFile_GivenThroughAPipe_IsRead()
    {
        var run = await ToolProcess.RunScript(
            """
            mkfifo "$4/keys"
            cat "$3" > "$4/keys" &
            dotnet exec "$1" verify --log "$2" --key-file "$4/keys"
            """,
            _demo.Log,
            _demo.KeyFile,
            _directory);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith($"verified: {DemoLogFixture.Events} records", run.Output, StringComparison.Ordinal);
    }
}
