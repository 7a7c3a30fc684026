using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;

namespace DataAccessAudit.ReportGenerator.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-demo-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Demo_SameSeed_GivesSameReportJson()
    {
        var first = Path.Combine(_directory, "first");
        var second = Path.Combine(_directory, "second");

        var a = CommandRun.Of("demo", "--out", first, "--events", "3000", "--seed", "7");
        var b = CommandRun.Of("demo", "--out", second, "--events", "3000", "--seed", "7");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        Assert.Equal(Figures(first), Figures(second));
    }

    [Fact]
    public void Demo_OtherSeed_GivesOtherReport()
    {
        var first = Path.Combine(_directory, "first");
        var second = Path.Combine(_directory, "second");

        CommandRun.Of("demo", "--out", first, "--events", "2000", "--seed", "1");
        CommandRun.Of("demo", "--out", second, "--events", "2000", "--seed", "2");

        Assert.NotEqual(File.ReadAllText(Path.Combine(first, "report.json")), File.ReadAllText(Path.Combine(second, "report.json")));
    }

    [Fact]
    public void Demo_Story_RecordsThroughTheLibraryAndTellsProjectTexas()
    {
        var output = Path.Combine(_directory, "demo");

        var run = CommandRun.Of("demo", "--out", output, "--events", "5000");

        Assert.Equal(0, run.ExitCode);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, "log"), "segment-*.jsonl"));
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var root = json.RootElement;
        Assert.Equal(5000, root.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal("verified", root.GetProperty("integrity").GetProperty("status").GetString());
        Assert.Equal(0, root.GetProperty("integrity").GetProperty("problems").GetArrayLength());
        Assert.Equal("2021-09-01", root.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal(303, root.GetProperty("daily").GetArrayLength());

        // The master admin stands at the top, marked as broad access, and is the only one marked.
        var requesters = root.GetProperty("requesters").EnumerateArray().ToList();
        Assert.Equal("bd-master-admin", requesters[0].GetProperty("id").GetString());
        Assert.True(requesters[0].GetProperty("broadAccess").GetBoolean());
        Assert.Single(requesters, r => r.GetProperty("broadAccess").GetBoolean());

        // ByteDance, a covered person, reached personal identifiers of US users in bulk, the master admin above all.
        var identifiers = root.GetProperty("bulkThresholds").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "covered-personal-identifiers" && r.GetProperty("counterparty").GetString() == "ByteDance");
        Assert.Equal("organization", identifiers.GetProperty("counterpartyType").GetString());
        Assert.True(identifiers.GetProperty("crossed").GetBoolean());
        Assert.Equal("bd-master-admin", identifiers.GetProperty("topRequesters")[0].GetProperty("id").GetString());

        // Singapore serves protected US data; Beijing reads it; some accesses have no known region; approvals were used.
        Assert.Equal("SG", root.GetProperty("residency")[0].GetProperty("storedIn").GetString());
        var pairs = root.GetProperty("regionPairs").EnumerateArray().Select(p => (p.GetProperty("requesterRegion").GetString(), p.GetProperty("dataRegion").GetString())).ToList();
        Assert.Contains(("CN", "US"), pairs);
        Assert.Contains(("ZZ", "US"), pairs);
        Assert.Contains(("IE", "DE"), pairs);
        Assert.True(root.GetProperty("totals").GetProperty("approved").GetInt64() > 0);
        var findings = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("finding").GetString()).ToList();
        Assert.Contains("unknown-requester-region", findings);
        Assert.Contains("country-of-concern-access", findings);
    }

    [Fact]
    public void Demo_LogReadBackByReport_GivesSameReportJson()
    {
        var output = Path.Combine(_directory, "demo");
        var again = Path.Combine(_directory, "again");
        CommandRun.Of("demo", "--out", output, "--events", "2000", "--seed", "3");

        var run = CommandRun.Of(
            "report", "--log", Path.Combine(output, "log"), "--key-file", Path.Combine(output, "demo-log.key"), "--policy", Path.Combine(output, "policy.json"), "--time-zone", "America/Los_Angeles",
            "--from", "2021-09-01", "--to", "2022-06-30", "--format", "json", "--out", again);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(output, "report.json")), File.ReadAllText(Path.Combine(again, "report.json")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void Demo_NoEvents_ExitsTwo(string events)
    {
        var run = CommandRun.Of("demo", "--out", Path.Combine(_directory, "x"), "--events", events);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--events '{events}': expected a whole number from 1 to 2147483647.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_OutIsAFileOrUnderOne_ExitsTwoBeforeRecordingSayingSo()
    {
        var file = Path.Combine(_directory, "afile");
        File.WriteAllText(file, "kept");
        var under = Path.Combine(file, "sub");

        var onFile = CommandRun.Of("demo", "--out", file, "--events", "10");
        var onUnder = CommandRun.Of("demo", "--out", under, "--events", "10");

        Assert.Equal(2, onFile.ExitCode);
        Assert.StartsWith($"error: --out '{file}': is a file, not a directory;", onFile.Error, StringComparison.Ordinal);
        Assert.Equal(2, onUnder.ExitCode);
        Assert.StartsWith($"error: --out '{under}': its parent '{file}' is a file, not a directory", onUnder.Error, StringComparison.Ordinal);
        Assert.Equal("kept", File.ReadAllText(file));
    }

    [Fact]
    public void Demo_EventsNotANumber_ExitsTwo()
    {
        var run = CommandRun.Of("demo", "--events", "many");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("many", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_KeyFile_IsPrivateAndTheVerifyCommandItPrintsPasses()
    {
        var output = Path.Combine(_directory, "demo");

        var run = CommandRun.Of("demo", "--out", output, "--events", "500");

        Assert.Equal(0, run.ExitCode);
        var keyFile = Path.Combine(output, "demo-log.key");
        Assert.Matches("^# [^\n]*\ndemo-1:[A-Za-z0-9+/=]{44}\n$", File.ReadAllText(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        var verify = $"access-report verify --log {Path.Combine(output, "log")} --key-file {keyFile}";
        Assert.Contains(verify, run.Output, StringComparison.Ordinal);
        var printed = verify["access-report ".Length..].Split(' ');
        var check = CommandRun.Of(printed);
        Assert.Equal(0, check.ExitCode);
        Assert.StartsWith("verified: 500 records", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_RunTwiceIntoSameDirectory_StartsANewLog()
    {
        var output = Path.Combine(_directory, "demo");
        CommandRun.Of("demo", "--out", output, "--events", "300");

        var second = CommandRun.Of("demo", "--out", output, "--events", "200");

        Assert.Equal(0, second.ExitCode);
        var check = CommandRun.Of("verify", "--log", Path.Combine(output, "log"), "--key-file", Path.Combine(output, "demo-log.key"));
        Assert.StartsWith("verified: 200 records", check.Output, StringComparison.Ordinal);
    }

    // A user who signed a checkpoint over the demo's log and runs the demo again gets a new log without that tree: kept,
    // it covered the earlier run's records, and the new report called the new log cut.
    [Fact]
    public void Demo_RunAgainAfterACheckpointOfItsLog_StartsANewLogWithoutTheOldTree()
    {
        var output = Path.Combine(_directory, "demo");
        var log = Path.Combine(output, "log");
        var keyFile = Path.Combine(output, "demo-log.key");
        var signingKey = Path.Combine(_directory, "log.key");
        Assert.Equal(0, CommandRun.Of("demo", "--out", output, "--events", "300").ExitCode);
        Assert.Equal(0, CommandRun.Of("keygen", "--name", "audit.example.com/demo", "--out", signingKey).ExitCode);
        Assert.Equal(0, CommandRun.Of("checkpoint", "--log", log, "--key", signingKey, "--key-file", keyFile).ExitCode);

        var second = CommandRun.Of("demo", "--out", output, "--events", "200");

        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("integrity:", second.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(log, "tree")));
        Assert.Equal(0, CommandRun.Of("checkpoint", "--log", log, "--key", signingKey, "--key-file", keyFile).ExitCode);
        var check = CommandRun.Of("verify", "--log", log, "--public-key", signingKey + ".pub", "--key-file", keyFile);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
    }

    // After retention removed every segment, a log's tree holds the only hashes of its records: a log directory
    // holding only a tree is someone's log too.
    [Fact]
    public void Demo_OutWhoseLogDirectoryHoldsOnlyAnotherLogsTree_ExitsTwoAndDeletesNothing()
    {
        var output = Path.Combine(_directory, "app");
        var checkpoint = Path.Combine(output, "log", "tree", "checkpoint");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        File.WriteAllText(checkpoint, "audit.example.com/app\n5\n");

        var run = CommandRun.Of("demo", "--out", output, "--events", "50");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("holds an audit log that the demo did not write", run.Error, StringComparison.Ordinal);
        Assert.Equal("audit.example.com/app\n5\n", File.ReadAllText(checkpoint));
    }

    // The report without its source, which names the demo's own log directory and its last chain value.
    private static string Figures(string output)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!.AsObject();
        Assert.True(node.Remove("source"));
        return node.ToJsonString();
    }

    [Fact]
    public void Demo_OutWhoseLogDirectoryHoldsAnotherLog_ExitsTwoAndDeletesNothing()
    {
        var output = Path.Combine(_directory, "app");
        var log = Path.Combine(output, "log");
        Record(log);
        var before = Directory.GetFiles(log).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();

        var run = CommandRun.Of("demo", "--out", output, "--events", "50");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{log}' holds an audit log that the demo did not write; the demo replaces only its own output", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(log).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList());
        Assert.False(File.Exists(Path.Combine(output, "demo-log.key")));
    }

    [Fact]
    public void Demo_WhileAnotherDemoStillWritesTheSameOut_ExitsTwoAndTheFirstOnesLogAndKeyStay()
    {
        var output = Path.Combine(_directory, "demo");
        Assert.Equal(0, CommandRun.Of("demo", "--out", output, "--events", "100").ExitCode);
        var log = Path.Combine(output, "log");
        var keyFile = Path.Combine(output, "demo-log.key");
        var key = File.ReadAllText(keyFile);

        // A writer holding the demo's log directory, as a demo still running would.
        using (var services = new ServiceCollection()
            .AddDataAccessAudit(audit => audit.AddFileLog(o => { o.Directory = log; FileLogKeyRing.Parse(key).ApplyTo(o); }))
            .BuildServiceProvider())
        {
            _ = services.GetRequiredService<IAccessAuditor>();

            var second = CommandRun.Of("demo", "--out", output, "--events", "50");

            Assert.Equal(2, second.ExitCode);
            Assert.Contains("is already being written by another process", second.Error, StringComparison.Ordinal);
        }

        Assert.Equal(key, File.ReadAllText(keyFile));
        var check = CommandRun.Of("verify", "--log", log, "--key-file", keyFile);
        Assert.StartsWith("verified: 100 records", check.Output, StringComparison.Ordinal);
    }

    // A demo releases its log's writer lock once the accesses are recorded, then reads the log back for its reports: a
    // second demo starting then must not take the log over and delete it under the first one's reader.
    [Fact]
    public void Demo_WhileAnotherDemoStillReadsItsLogBack_ExitsTwoAndDeletesNothing()
    {
        var output = Path.Combine(_directory, "demo");
        Assert.Equal(0, CommandRun.Of("demo", "--out", output, "--events", "100").ExitCode);
        var log = Path.Combine(output, "log");
        var before = Directory.GetFiles(log).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();

        CommandRun second;
        using (new FileStream(Path.Combine(output, "access-report-demo.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            second = CommandRun.Of("demo", "--out", output, "--events", "50");
        }

        Assert.Equal(2, second.ExitCode);
        Assert.Equal($"error: --out '{output}': another demo run is writing into it (it holds 'access-report-demo.lock'); wait for it to finish, or choose another --out.\n", second.Error);
        Assert.Equal(before, Directory.GetFiles(log).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList());
        Assert.Equal(0, CommandRun.Of("demo", "--out", output, "--events", "50").ExitCode);
    }

    private static void Record(string directory)
    {
        using var services = new ServiceCollection()
            .AddDataAccessAudit(audit => audit.AddFileLog(o => o.Directory = directory))
            .BuildServiceProvider();
        services.GetRequiredService<IAccessAuditor>().Record(new Requester("emp-1", Region.Parse("CN")), new AccessedResource("user/1", Taxonomy.Protected, Region.Parse("US")), "read");
        services.GetRequiredService<IAccessAuditor>().FlushAsync(TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
    }
}
