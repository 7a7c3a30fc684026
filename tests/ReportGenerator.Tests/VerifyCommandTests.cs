namespace DataAccessAudit.ReportGenerator.Tests;

public sealed class VerifyCommandTests : IClassFixture<DemoLogFixture>, IDisposable
{
    private readonly DemoLogFixture _demo;
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-verify-").FullName;

    public VerifyCommandTests(DemoLogFixture demo) => _demo = demo;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Verify_DemoLogWithItsKey_ExitsZeroAndPrintsIntact()
    {
        var run = CommandRun.Of("verify", "--log", _demo.Log, "--key-file", _demo.KeyFile);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"intact: {DemoLogFixture.Events} records ({DemoLogFixture.Events} events)", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Verify_OneByteTampered_ExitsOneNamingSegmentAndLine()
    {
        var log = _demo.CopyLog(_directory);
        DemoLogFixture.TamperOneByte(log);

        var run = CommandRun.Of("verify", "--log", log, "--key-file", _demo.KeyFile);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"broken: {DemoLogFixture.FirstSegment(log)}:", run.Output, StringComparison.Ordinal);
        Assert.Contains("modified", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LineDeleted_ExitsOne()
    {
        var log = _demo.CopyLog(_directory);
        DemoLogFixture.DeleteLine(log);

        var run = CommandRun.Of("verify", "--log", log, "--key-file", _demo.KeyFile);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"broken: {DemoLogFixture.FirstSegment(log)}:4: deleted", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyedLogWithoutKeyFile_ExitsOneSayingTheKeyIsMissing()
    {
        var run = CommandRun.Of("verify", "--log", _demo.Log);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("missing-key", run.Output, StringComparison.Ordinal);
        Assert.Contains("--key-file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MissingDirectory_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_directory, "no-log");

        var run = CommandRun.Of("verify", "--log", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--log '{missing}': directory not found", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DirectoryWithoutSegments_ExitsTwo()
    {
        var run = CommandRun.Of("verify", "--log", _directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no log segments", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_BadKeyFile_ExitsTwoNamingFileAndLine()
    {
        var keyFile = Path.Combine(_directory, "bad.key");
        File.WriteAllText(keyFile, "# keys\nnot-a-key-line\n");

        var run = CommandRun.Of("verify", "--log", _demo.Log, "--key-file", keyFile);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{keyFile}:2:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MissingKeyFile_ExitsTwoNamingIt()
    {
        var keyFile = Path.Combine(_directory, "none.key");

        var run = CommandRun.Of("verify", "--log", _demo.Log, "--key-file", keyFile);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--key-file '{keyFile}'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoLogOption_ExitsTwo()
    {
        var run = CommandRun.Of("verify");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--log", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsVerifyAndDemoOptions()
    {
        var verify = CommandRun.Of("verify", "--help");
        var demo = CommandRun.Of("demo", "--help");

        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("--log", verify.Output, StringComparison.Ordinal);
        Assert.Contains("--key-file", verify.Output, StringComparison.Ordinal);
        foreach (var option in new[] { "--out", "--events", "--seed", "--otlp" })
        {
            Assert.Contains(option, demo.Output, StringComparison.Ordinal);
        }
    }
}
