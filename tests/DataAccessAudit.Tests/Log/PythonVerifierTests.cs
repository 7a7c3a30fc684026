using System.Text.Json;
using DataAccessAudit.Log;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

// docs/verify_log.py is the proof that log-format.md is precise enough to verify a log without this library.
public sealed class PythonVerifierTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), "daa-log-tests", Guid.NewGuid().ToString("N") + ".keys");

    public PythonVerifierTests()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory, configure: o => o.MaxSegmentSize = FileLogOptions.MinSegmentSize), 40, batchSize: 4);
        File.WriteAllText(_keyFile, $"# test keys\nk1:{Convert.ToBase64String(LogFixture.Key)}\nk2:{Convert.ToBase64String(LogFixture.Key2)}\n");
    }

    public static TheoryData<string> Tamperings => ["none", "modify", "delete", "swap", "insert", "truncate", "forge", "delete-segment", "invalid-utf8"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void VerifyLogPy_AgreesWithFileLogVerifier(string tampering)
    {
        Tamper(tampering);
        var expected = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        var (exitCode, output) = RunPython(_directory, "--key-file", _keyFile, "--json");

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(expected.IsIntact ? 0 : 1, exitCode);
        Assert.Equal(expected.IsIntact, root.GetProperty("intact").GetBoolean());
        Assert.Equal(expected.VerdictName, root.GetProperty("status").GetString());
        if (expected.IsIntact)
        {
            Assert.Equal("none", tampering);
            Assert.Equal(expected.LastSequence, root.GetProperty("lastSequence").GetInt64());
            Assert.Equal(expected.LastChain, root.GetProperty("lastChain").GetString());
        }
        else
        {
            Assert.Equal(expected.Break!.KindName, root.GetProperty("kind").GetString());
            Assert.Equal(Path.GetFullPath(expected.Break.Segment), Path.GetFullPath(root.GetProperty("segment").GetString()!));
            Assert.Equal(expected.Break.Line, root.GetProperty("line").GetInt64());
            Assert.Equal(expected.Break.Sequence, root.GetProperty("sequence").GetInt64());
        }
    }

    public static TheoryData<string> Verdicts => ["keyed", "no-key", "wrong-key", "no-key-deleted", "unkeyed", "unkeyed-require-key", "in-progress", "first-segment-deleted"];

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void VerifyLogPy_AgreesWithFileLogVerifierOnTheVerdictAndExitCode(string scenario)
    {
        var directory = _directory;
        var arguments = new List<string> { "--json" };
        IReadOnlyDictionary<string, byte[]>? keys = LogFixture.Keys;
        arguments.AddRange(["--key-file", _keyFile]);
        FileLog? writer = null;
        switch (scenario)
        {
            case "no-key":
                keys = null;
                arguments = ["--json"];
                break;
            case "wrong-key":
                keys = new Dictionary<string, byte[]> { [LogFixture.KeyId] = LogFixture.Key2 };
                File.WriteAllText(_keyFile, $"k1:{Convert.ToBase64String(LogFixture.Key2)}\n");
                break;
            case "no-key-deleted":
                keys = null;
                arguments = ["--json"];
                var lines = LogFixture.Lines(LogFixture.Segments(_directory)[1]);
                lines.RemoveAt(2);
                LogFixture.WriteLines(LogFixture.Segments(_directory)[1], lines);
                break;
            case "unkeyed" or "unkeyed-require-key":
                directory = Path.Combine(_directory, "unkeyed");
                LogFixture.WriteLog(LogFixture.Options(directory, keyed: false), 7);
                keys = null;
                arguments = scenario == "unkeyed" ? ["--json"] : ["--json", "--require-key"];
                break;
            case "in-progress":
                writer = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start));
                Write(writer, 40, 1);
                Flush(writer);
                File.AppendAllText(LogFixture.Segments(_directory)[^1], "{\"schema\":\"access-ev");
                break;
            case "first-segment-deleted":
                File.Delete(LogFixture.Segments(_directory)[0]);
                break;
        }

        try
        {
            var expected = FileLogVerifier.Verify(directory, keys, TestContext.Current.CancellationToken);
            var (exitCode, output) = RunPython([directory, .. arguments]);

            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            Assert.Equal(expected.VerdictName, root.GetProperty("status").GetString());
            Assert.Equal(
                expected.Verdict switch
                {
                    LogVerdict.Verified => 0,
                    LogVerdict.VerifiedUnkeyed => scenario == "unkeyed-require-key" ? 3 : 0,
                    LogVerdict.Unverified => 3,
                    _ => 1,
                },
                exitCode);
            if (expected.Break is { } found)
            {
                Assert.Equal(found.KindName, root.GetProperty("kind").GetString());
                Assert.Equal(found.Line, root.GetProperty("line").GetInt64());
                Assert.Equal(found.Sequence, root.GetProperty("sequence").GetInt64());
            }
            else
            {
                Assert.Equal(expected.LastSequence, root.GetProperty("lastSequence").GetInt64());
                Assert.Equal(expected.InProgressBytes, root.GetProperty("inProgressBytes").GetInt64());
                Assert.Equal(expected.UncheckedKeyIds, root.GetProperty("uncheckedKeyIds").EnumerateArray().Select(e => e.GetString()!).ToArray());
            }

            Assert.Equal(
                scenario switch
                {
                    "keyed" or "in-progress" => "verified",
                    "no-key" => "unverified",
                    "unkeyed" or "unkeyed-require-key" => "verified-unkeyed",
                    _ => "broken",
                },
                expected.VerdictName);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    [Fact]
    public async Task VerifyLogPy_LogWithKeyRotationRetentionGapAndRecovery_AgreesItIsIntact()
    {
        var directory = LogFixture.NewDirectory();
        try
        {
            var clock = new FakeClock(LogFixture.Start);
            var options = LogFixture.Options(directory, configure: o => { o.RotationInterval = TimeSpan.FromDays(1); o.Retention = TimeSpan.FromDays(2); });
            using (var log = new FileLog(options, clock))
            {
                for (var day = 0; day < 4; day++)
                {
                    Write(log, day * 3, 3);
                    await log.WriteGapAsync(5, clock.GetCurrentInstant(), TestContext.Current.CancellationToken);
                    clock.Advance(Duration.FromDays(1));
                }
            }

            File.AppendAllText(LogFixture.Segments(directory)[^1], "{\"torn");
            var rotated = LogFixture.Options(directory, configure: o => { o.KeyId = "k2"; o.Key = Convert.ToBase64String(LogFixture.Key2); o.Retention = TimeSpan.FromDays(2); });
            using (var log = new FileLog(rotated, clock))
            {
                Write(log, 100, 3);
            }

            var expected = FileLogVerifier.Verify(directory, LogFixture.Keys, TestContext.Current.CancellationToken);
            Assert.True(expected.IsIntact, expected.Break?.ToString());
            Assert.True(expected.RemovedUpToSequence > 0);
            Assert.Equal(10, expected.DroppedEvents); // the gap records of the two removed days went with their segments

            var (exitCode, output) = RunPython(directory, "--key-file", _keyFile, "--json");

            Assert.Equal(0, exitCode);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(expected.LastSequence, json.RootElement.GetProperty("lastSequence").GetInt64());
            Assert.Equal(expected.LastChain, json.RootElement.GetProperty("lastChain").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void VerifyLogPy_LogWrittenInPipelinedBatches_AgreesItIsIntact()
    {
        var directory = LogFixture.NewDirectory();
        try
        {
            LogFixture.WriteLog(LogFixture.Options(directory), 3 * LinePipeline.ChunkSize * 2, batchSize: (2 * LinePipeline.ChunkSize) + 77);
            var expected = FileLogVerifier.Verify(directory, LogFixture.Keys, TestContext.Current.CancellationToken);
            Assert.True(expected.IsIntact, expected.Break?.ToString());

            var (exitCode, output) = RunPython(directory, "--key-file", _keyFile, "--json");

            Assert.Equal(0, exitCode);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(expected.LastSequence, json.RootElement.GetProperty("lastSequence").GetInt64());
            Assert.Equal(expected.LastChain, json.RootElement.GetProperty("lastChain").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(SegmentFileKindTests.Entries), MemberType = typeof(SegmentFileKindTests))]
    public async Task VerifyLogPy_SegmentThatIsNotARegularFile_ExitsTwoWithTheMessageOfFileLogVerifier(string entry, string kind)
    {
        var segment = Path.Combine(_directory, "segment-0000000099.jsonl");
        SegmentFileKindTests.Create(entry, segment);
        var expected = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken));

        var (exitCode, output) = await Task.Run(() => RunPython(_directory, "--key-file", _keyFile), TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Contains(kind, expected.Message, StringComparison.Ordinal);
        Assert.Equal($"error: '{_directory}': cannot read the log: {expected.Message}\n", output);
    }

    // Opening a FIFO for reading blocks until something writes to it: a planted writer.lock must be taken for a lock no
    // writer holds, without opening it, so the cut last line is truncated as FileLogVerifier reports it.
    [Theory(Timeout = 60_000)]
    [MemberData(nameof(SegmentFileKindTests.Entries), MemberType = typeof(SegmentFileKindTests))]
    public async Task VerifyLogPy_CutLastLineAndWriterLockIsNotARegularFile_AgreesItIsTruncated(string entry, string kind)
    {
        _ = kind;
        var writerLock = Path.Combine(_directory, "writer.lock");
        File.Delete(writerLock);
        SegmentFileKindTests.Create(entry, writerLock);
        var segment = LogFixture.Segments(_directory)[^1];
        File.WriteAllBytes(segment, File.ReadAllBytes(segment)[..^30]);
        var expected = await Task.Run(() => FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        var (exitCode, output) = await Task.Run(() => RunPython(_directory, "--key-file", _keyFile, "--json"), TestContext.Current.CancellationToken);

        Assert.Equal(LogBreakKind.Truncated, expected.Break?.Kind);
        Assert.Equal(1, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("truncated", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(expected.Break!.Line, json.RootElement.GetProperty("line").GetInt64());
        Assert.Equal(expected.Break.Sequence, json.RootElement.GetProperty("sequence").GetInt64());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void VerifyLogPy_DirectoryThatCannotBeListed_ExitsTwoNamingIt()
    {
        File.SetUnixFileMode(_directory, UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var (exitCode, output, error) = PythonScript.RunUnprivileged("verify_log.py", _directory);

            Assert.Equal(2, exitCode);
            Assert.Empty(output);
            Assert.StartsWith($"error: '{_directory}': cannot read the log: [Errno 13] Permission denied: '{_directory}'", error, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void VerifyLogPy_WithoutArguments_ExitsWithUsageError()
    {
        var (exitCode, _) = RunPython();

        Assert.Equal(2, exitCode);
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        File.Delete(_keyFile);
    }

    private void Tamper(string tampering)
    {
        var segment = LogFixture.Segments(_directory)[1];
        var lines = LogFixture.Lines(segment);
        switch (tampering)
        {
            case "modify":
                lines[3] = lines[3].Replace("emp-", "emq-", StringComparison.Ordinal);
                break;
            case "delete":
                lines.RemoveAt(3);
                break;
            case "swap":
                (lines[2], lines[3]) = (lines[3], lines[2]);
                break;
            case "insert":
                lines.Insert(4, lines[1]);
                break;
            case "truncate":
                segment = LogFixture.Segments(_directory)[^1];
                File.WriteAllText(segment, File.ReadAllText(segment)[..^20]);
                return;
            case "forge":
                lines[3] = lines[3].Replace("emp-", "emq-", StringComparison.Ordinal);
                LogFixture.WriteLines(segment, lines);
                LogFixture.RechainWithoutKey(segment, fromLine: 4);
                return;
            case "delete-segment":
                File.Delete(segment);
                return;
            case "invalid-utf8":
                // One byte of an event's top-level "time" made invalid UTF-8 (the lines are ASCII, so chars are bytes).
                var bytes = File.ReadAllBytes(segment);
                bytes[lines.Take(3).Sum(l => l.Length + 1) + lines[3].IndexOf("\"time\":\"", StringComparison.Ordinal) + 8] = 0xFF;
                File.WriteAllBytes(segment, bytes);
                return;
            default:
                return;
        }

        LogFixture.WriteLines(segment, lines);
    }

    private static void Flush(FileLog log) => log.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static void Write(FileLog log, int first, int count) =>
        log.WriteAsync(Enumerable.Range(first, count).Select(i => LogFixture.Record(i)).ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static (int ExitCode, string Output) RunPython(params string[] arguments)
    {
        var (exitCode, output, error) = PythonScript.Run("verify_log.py", arguments);
        return (exitCode, output + error);
    }
}
