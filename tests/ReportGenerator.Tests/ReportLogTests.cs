using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.ReportGenerator.Tests;

/// <summary><c>report --log</c> over the durable log: integrity from its chain, the same figures as a plain file.</summary>
public sealed class ReportLogTests : IClassFixture<DemoLogFixture>, IDisposable
{
    private readonly DemoLogFixture _demo;
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-log-").FullName;

    public ReportLogTests(DemoLogFixture demo) => _demo = demo;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Report_LogWithKey_IsVerifiedWithoutProblems()
    {
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--log", _demo.Log, "--key-file", _demo.KeyFile, "--format", "json", "--out", output, "--strict");

        Assert.Equal(0, run.ExitCode);
        var integrity = Integrity(output);
        Assert.Equal("verified", integrity.GetProperty("status").GetString());
        Assert.Equal(0, integrity.GetProperty("problems").GetArrayLength());
        Assert.Equal(DemoLogFixture.Events, Report(output).GetProperty("totals").GetProperty("events").GetInt64());
    }

    [Fact]
    public void Report_LogAndPlainFileOfSameRecords_GiveSameReportJsonExceptIntegrity()
    {
        // The plain file holds exactly what the log reader yields, written as access-event/1 lines.
        var plain = Path.Combine(_directory, "events.jsonl");
        var buffer = new ArrayBufferWriter<byte>();
        var reader = new FileLogReader(_demo.Log, FileLogKeyRing.Read(_demo.KeyFile).Keys);
        foreach (var record in reader.Read(problem => Assert.Fail(problem.ToString())))
        {
            AccessEventJson.WriteLine(buffer, record);
        }

        File.WriteAllBytes(plain, buffer.WrittenSpan.ToArray());
        Assert.True(reader.Verification!.IsIntact);
        var fromLog = Path.Combine(_directory, "from-log");
        var fromFile = Path.Combine(_directory, "from-file");
        string[] options = ["--time-zone", "America/Los_Angeles", "--from", "2021-09-01", "--to", "2022-06-30", "--format", "json"];

        var log = CommandRun.Of(["report", "--log", _demo.Log, "--key-file", _demo.KeyFile, "--out", fromLog, .. options]);
        var file = CommandRun.Of(["report", "--events", plain, "--out", fromFile, .. options]);

        Assert.Equal(0, log.ExitCode);
        Assert.Equal(0, file.ExitCode);
        Assert.Equal("verified", Integrity(fromLog).GetProperty("status").GetString());
        Assert.Equal("unverified", Integrity(fromFile).GetProperty("status").GetString());
        Assert.Equal(Figures(fromFile), Figures(fromLog));
        Assert.Equal(DemoLogFixture.Events, Report(fromLog).GetProperty("totals").GetProperty("events").GetInt64());
    }

    [Fact]
    public void Report_TamperedLog_IsBrokenNamingTheSegmentAndStrictExitsOne()
    {
        var log = _demo.CopyLog(_directory);
        DemoLogFixture.TamperOneByte(log);
        var output = Path.Combine(_directory, "out");

        var lenient = CommandRun.Of("report", "--log", log, "--key-file", _demo.KeyFile, "--format", "json", "--out", output);
        var strict = CommandRun.Of("report", "--log", log, "--key-file", _demo.KeyFile, "--format", "json", "--out", output, "--strict");

        Assert.Equal(0, lenient.ExitCode);
        Assert.Equal(1, strict.ExitCode);
        var integrity = Integrity(output);
        Assert.Equal("broken", integrity.GetProperty("status").GetString());
        var problem = Assert.Single(integrity.GetProperty("problems").EnumerateArray());
        Assert.Equal(DemoLogFixture.FirstSegment(log), problem.GetProperty("source").GetString());
        Assert.Contains("modified", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("integrity:", strict.Error, StringComparison.Ordinal);

        // The events after the break are still counted: the report shows them, marked as not verified.
        Assert.Equal(DemoLogFixture.Events, Report(output).GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal(0, Report(output).GetProperty("inputProblemCount").GetInt64());
    }

    [Fact]
    public void Report_LogWithDeletedLine_IsBroken()
    {
        var log = _demo.CopyLog(_directory);
        DemoLogFixture.DeleteLine(log);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--log", log, "--key-file", _demo.KeyFile, "--format", "json", "--out", output, "--strict");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("broken", Integrity(output).GetProperty("status").GetString());
        Assert.Equal(DemoLogFixture.Events - 1, Report(output).GetProperty("totals").GetProperty("events").GetInt64());
    }

    [Fact]
    public void Report_KeyedLogWithoutKeyFile_IsUnverifiedSayingTheKeyIsMissing()
    {
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--log", _demo.Log, "--format", "json", "--out", output);
        var strict = CommandRun.Of("report", "--log", _demo.Log, "--format", "json", "--out", output, "--strict");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, strict.ExitCode);
        var integrity = Integrity(output);
        Assert.Equal("unverified", integrity.GetProperty("status").GetString());
        var message = Assert.Single(integrity.GetProperty("problems").EnumerateArray()).GetProperty("message").GetString();
        Assert.Contains("\"demo-1\"", message, StringComparison.Ordinal);
        Assert.Contains("--key-file", message, StringComparison.Ordinal);
        Assert.Equal(DemoLogFixture.Events, Report(output).GetProperty("totals").GetProperty("events").GetInt64());
    }

    [Fact]
    public void Report_KeyFileWithoutTheKeyIdTheLogNames_SaysTheKeysGivenLackIt_NotToGiveThem()
    {
        var log = _demo.CopyLog(_directory);
        DemoLogFixture.RenameKeyId(log, "other-9");
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--log", log, "--key-file", _demo.KeyFile, "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        var integrity = Integrity(output);
        Assert.Equal("unverified", integrity.GetProperty("status").GetString());
        Assert.Equal(
            "not verified: the chain was not checked: the keys given hold no key with id \"other-9\"; sequence numbers, segment order and headers hold; " +
            "give the key file that holds that id (access-report: --key-file); if no key with that id was ever made, a segment header was edited to name it",
            Assert.Single(integrity.GetProperty("problems").EnumerateArray()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Report_LogRecoveredAfterCrash_IsVerifiedAndListsTheRecovery()
    {
        // A crash while writing leaves a torn last line; the recorder reopening the log moves it aside and writes a
        // recovery record. The chain stays intact, but the report must still show that accesses may be missing.
        var log = _demo.CopyLog(_directory);
        var last = Directory.GetFiles(log, "segment-*.jsonl").Order(StringComparer.Ordinal).Last();
        await File.AppendAllTextAsync(last, "{\"schema\":\"access-event/1\",\"id\":\"torn", TestContext.Current.CancellationToken);
        var key = FileLogKeyRing.Read(_demo.KeyFile).Keys["demo-1"];
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2022, 7, 1, 8, 0)));
        services.AddDataAccessAudit(audit => audit.AddFileLog(o =>
        {
            o.Directory = log;
            o.KeyId = "demo-1";
            o.Key = Convert.ToBase64String(key);
        }));
        await using (var provider = services.BuildServiceProvider())
        {
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            auditor.Record(
                new Requester("usds-0001", Region.Parse("US")),
                new AccessedResource("user/1/direct-message", Taxonomy.Protected, Region.Parse("US")) { Type = "direct-message" },
                "read");
            await auditor.FlushAsync(TestContext.Current.CancellationToken);
        }

        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--log", log, "--key-file", _demo.KeyFile, "--format", "json", "--out", output, "--strict");

        Assert.Equal(1, run.ExitCode);
        var integrity = Integrity(output);
        Assert.Equal("verified", integrity.GetProperty("status").GetString());
        var problem = Assert.Single(integrity.GetProperty("problems").EnumerateArray());
        Assert.StartsWith("recovery: ", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Report(output).GetProperty("inputProblemCount").GetInt64());
        Assert.Equal(DemoLogFixture.Events + 1, Report(output).GetProperty("totals").GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task Report_LogWithSegmentsRemovedByRetention_IsVerifiedAndListsTheRemoval()
    {
        var log = Path.Combine(_directory, "retained");
        var clock = new FakeClock(Instant.FromUtc(2022, 1, 3, 9, 0));
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddDataAccessAudit(audit => audit.AddFileLog(o =>
        {
            o.Directory = log;
            o.KeyId = "k1";
            o.Key = Convert.ToBase64String(new byte[32]);
            o.RotationInterval = TimeSpan.FromDays(1);
            o.Retention = TimeSpan.FromDays(2);
        }));
        await using (var provider = services.BuildServiceProvider())
        {
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            for (var day = 0; day < 6; day++)
            {
                auditor.Record(
                    new Requester($"usds-{day:0000}", Region.Parse("US")),
                    new AccessedResource($"user/{day}/direct-message", Taxonomy.Protected, Region.Parse("US")) { Type = "direct-message" },
                    "read");
                await auditor.FlushAsync(TestContext.Current.CancellationToken);
                clock.Advance(Duration.FromDays(1) + Duration.FromMinutes(1));
            }
        }

        var keyFile = Path.Combine(_directory, "retained.key");
        File.WriteAllText(keyFile, $"k1:{Convert.ToBase64String(new byte[32])}\n");
        var removedUpTo = FileLogVerifier.Verify(log, FileLogKeyRing.Read(keyFile).Keys, TestContext.Current.CancellationToken).RemovedUpToSequence;
        Assert.True(removedUpTo > 0);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--log", log, "--key-file", keyFile, "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        var integrity = Integrity(output);
        Assert.Equal("verified", integrity.GetProperty("status").GetString());
        var problem = Assert.Single(integrity.GetProperty("problems").EnumerateArray());
        Assert.Equal($"removal: retention removed records 1 to {removedUpTo} (the oldest segments), as a removal record in the log states", problem.GetProperty("message").GetString());
        Assert.Equal(log, problem.GetProperty("source").GetString());
    }

    [Fact]
    public void Report_KeyFileWithEventsFiles_ExitsTwo()
    {
        var plain = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(plain, string.Empty);

        var run = CommandRun.Of("report", "--events", plain, "--key-file", _demo.KeyFile);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--key-file: only with --log", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_BadKeyFile_ExitsTwoNamingIt()
    {
        var keyFile = Path.Combine(_directory, "bad.key");
        File.WriteAllText(keyFile, "demo-1:c2hvcnQ=\n");

        var run = CommandRun.Of("report", "--log", _demo.Log, "--key-file", keyFile, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{keyFile}:1:", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    private static JsonElement Report(string output)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        return json.RootElement.Clone();
    }

    private static JsonElement Integrity(string output) => Report(output).GetProperty("integrity");

    // The report's figures: without its integrity and its source, which say where the events came from.
    private static string Figures(string output)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!.AsObject();
        Assert.True(node.Remove("integrity"));
        Assert.True(node.Remove("source"));
        return node.ToJsonString();
    }
}
