using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.ReportGenerator.Tests;

public sealed class VerifyCommandTests : IClassFixture<DemoLogFixture>, IDisposable
{
    private readonly DemoLogFixture _demo;
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-verify-").FullName;

    public VerifyCommandTests(DemoLogFixture demo) => _demo = demo;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Verify_DemoLogWithItsKey_ExitsZeroAndPrintsVerified()
    {
        var run = CommandRun.Of("verify", "--log", _demo.Log, "--key-file", _demo.KeyFile, "--require-key");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"verified: {DemoLogFixture.Events} records ({DemoLogFixture.Events} events)", run.Output, StringComparison.Ordinal);
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
    public void Verify_KeyedLogWithoutKeyFile_ExitsThreeUnverifiedSayingTheKeyIsMissing()
    {
        var run = CommandRun.Of("verify", "--log", _demo.Log);

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"unverified: {DemoLogFixture.Events} records", run.Output, StringComparison.Ordinal);
        Assert.Contains("the chain itself was not checked: no key was given for \"demo-1\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("--key-file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyedLogWithoutKeyFile_StillFindsADeletedLine()
    {
        var log = _demo.CopyLog(_directory);
        DemoLogFixture.DeleteLine(log);

        var run = CommandRun.Of("verify", "--log", log);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"broken: {DemoLogFixture.FirstSegment(log)}:4: deleted", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RightKeyIdWrongKey_ExitsOneSayingTheKeyDoesNotMatch()
    {
        var keyFile = Path.Combine(_directory, "wrong.key");
        File.WriteAllText(keyFile, $"demo-1:{Convert.ToBase64String(new byte[32])}\n");

        var run = CommandRun.Of("verify", "--log", _demo.Log, "--key-file", keyFile);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(": wrong-key at sequence 1: the key for id \"demo-1\" does not match this log (wrong key, or the header was forged)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnkeyedLog_IsVerifiedUnkeyed_AndRequireKeyRefusesIt()
    {
        var log = Path.Combine(_directory, "unkeyed");
        await RecordUnkeyedAsync(log, 2);

        var plain = CommandRun.Of("verify", "--log", log);
        var required = CommandRun.Of("verify", "--log", log, "--require-key");

        Assert.Equal(0, plain.ExitCode);
        Assert.StartsWith("verified-unkeyed: 2 records", plain.Output, StringComparison.Ordinal);
        Assert.Contains("; chain intact, but unkeyed: it detects accidents, not an editor", plain.Output, StringComparison.Ordinal);
        Assert.Equal(3, required.ExitCode);
        Assert.StartsWith("verified-unkeyed: ", required.Output, StringComparison.Ordinal);
        Assert.Contains("--require-key", required.Error, StringComparison.Ordinal);
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

    private static async Task RecordUnkeyedAsync(string directory, int count)
    {
        var services = new ServiceCollection()
            .AddDataAccessAudit(audit => audit.AddFileLog(log => log.Directory = directory))
            .BuildServiceProvider();
        await using (services)
        {
            var auditor = services.GetRequiredService<IAccessAuditor>();
            for (var i = 0; i < count; i++)
            {
                auditor.Record(new Requester("emp-1", Region.Parse("CN")), new AccessedResource($"user/{i}", Taxonomy.Protected, Region.Parse("US")), "read");
            }

            await auditor.FlushAsync(TestContext.Current.CancellationToken);
        }
    }
}
