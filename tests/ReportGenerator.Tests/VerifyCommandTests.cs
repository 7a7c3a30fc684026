using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Log;
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
    public void Verify_KeyFileWithoutTheKeyIdTheLogNames_ExitsThreeNamingTheIdAndTheFile()
    {
        // A header naming a key id that no key file holds: what an edited header looks like to whoever holds the keys.
        var log = _demo.CopyLog(_directory);
        DemoLogFixture.RenameKeyId(log, "other-9");

        var run = CommandRun.Of("verify", "--log", log, "--key-file", _demo.KeyFile);

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("unverified: ", run.Output, StringComparison.Ordinal);
        Assert.Equal(
            $"--key-file '{_demo.KeyFile}': holds no key with id \"other-9\" (it holds \"demo-1\"), so the chain could not be checked. " +
            "Give the key file that holds that id; if no key with that id was ever made, a segment header was edited to name it.\n",
            run.Error.ReplaceLineEndings("\n"));
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

    [Theory]
    [InlineData("")]
    [InlineData("# keys of the audit log\n\n# none yet\n")]
    public void Verify_KeyFileWithoutAKey_ExitsTwo(string text)
    {
        var keyFile = Path.Combine(_directory, "empty.key");
        File.WriteAllText(keyFile, text);

        var run = CommandRun.Of("verify", "--log", _demo.Log, "--key-file", keyFile);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--key-file: {keyFile}: holds no key", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Verify_DirectoryAsKeyFile_ExitsTwoSayingItIsADirectory()
    {
        var run = CommandRun.Of("verify", "--log", _demo.Log, "--key-file", _directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--key-file '{_directory}': is a directory; expected a key file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_ThenRecordWithTheKey_VerifiesWithRequireKey_AndASecondIdRotates()
    {
        var keyFile = Path.Combine(_directory, "secrets", "audit.keys");
        var log = Path.Combine(_directory, "keyed-log");

        var made = CommandRun.Of("keygen", "--key-file", keyFile, "--id", "2026-11");
        Record(log, FileLogKeyRing.Read(keyFile));
        var rotated = CommandRun.Of("keygen", "--key-file", keyFile, "--id", "2026-12");
        var again = CommandRun.Of("keygen", "--key-file", keyFile, "--id", "2026-12");
        var verified = CommandRun.Of("verify", "--log", log, "--key-file", keyFile, "--require-key");

        Assert.Equal(0, made.ExitCode);
        Assert.StartsWith($"Wrote key '2026-11' to {keyFile}", made.Output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        Assert.Equal(0, rotated.ExitCode);
        Assert.Equal(["2026-11", "2026-12"], FileLogKeyRing.Read(keyFile).Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2026-12", FileLogKeyRing.Read(keyFile).CurrentKeyId);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds a key with this id", again.Error, StringComparison.Ordinal);
        Assert.Equal(0, verified.ExitCode);
        Assert.StartsWith("verified: 2 records", verified.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    public void Keygen_InvalidId_ExitsTwoWritingNothing(string id)
    {
        var keyFile = Path.Combine(_directory, "audit.keys");

        var run = CommandRun.Of("keygen", "--key-file", keyFile, "--id", id);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--id '{id}': expected ", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(keyFile));
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

    private static void Record(string directory, FileLogKeyRing keys)
    {
        using var services = new ServiceCollection()
            .AddDataAccessAudit(audit => audit.AddFileLog(log =>
            {
                log.Directory = directory;
                keys.ApplyTo(log);
            }))
            .BuildServiceProvider();
        var auditor = services.GetRequiredService<IAccessAuditor>();
        for (var i = 0; i < 2; i++)
        {
            auditor.Record(new Requester("emp-1", Region.Parse("CN")), new AccessedResource($"user/{i}", Taxonomy.Protected, Region.Parse("US")), "read");
        }

        auditor.FlushAsync(TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
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
