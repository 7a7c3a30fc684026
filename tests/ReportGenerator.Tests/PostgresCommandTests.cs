using System.Text.Json.Nodes;
using DataAccessAudit.ReportGenerator.Demo;
using DataAccessAudit.Testing;
using Npgsql;

namespace DataAccessAudit.ReportGenerator.Tests;

// demo, report and verify with --postgres against a real server the fixture starts.
public sealed class PostgresCommandTests(PostgreSqlServer server) : IClassFixture<PostgreSqlServer>, IDisposable
{
    private const int Events = 3000;
    private const int Seed = 7;
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-postgres-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_demo_in_the_database_verifies_and_reports_as_the_demo_in_the_file_log()
    {
        var db = await server.CreateDatabaseAsync();
        var fromDatabase = Path.Combine(_directory, "db");
        var fromLog = Path.Combine(_directory, "log");

        var demo = CommandRun.Of("demo", "--postgres", db, "--out", fromDatabase, "--events", $"{Events}", "--seed", $"{Seed}");
        Assert.True(demo.ExitCode == 0, demo.Error);
        Assert.False(Directory.Exists(Path.Combine(fromDatabase, "log")), "nothing is recorded into a file log");
        Assert.Contains($"access-report verify --postgres '{db}' --schema {DemoCommand.PostgresSchema} --key-file", demo.Output, StringComparison.Ordinal);
        Assert.Equal(0, CommandRun.Of("demo", "--out", fromLog, "--events", $"{Events}", "--seed", $"{Seed}").ExitCode);

        // The same story from the same seed: the same report, whichever store held it (but for what it was read from).
        Assert.Equal(WithoutSource(Path.Combine(fromLog, "report.json")), WithoutSource(Path.Combine(fromDatabase, "report.json")));

        var keyFile = DemoLog.KeyFileOf(fromDatabase);
        var verify = CommandRun.Of("verify", "--postgres", db, "--schema", DemoCommand.PostgresSchema, "--key-file", keyFile, "--require-key");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.StartsWith($"verified: 1 instance, {Events} records ({Events} events), keyed", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"  {DemoCommand.PostgresInstanceId}: verified, {Events} records", verify.Output, StringComparison.Ordinal);

        var unkeyed = CommandRun.Of("verify", "--postgres", db, "--schema", DemoCommand.PostgresSchema);
        Assert.Equal(3, unkeyed.ExitCode);
        Assert.StartsWith("unverified: ", unkeyed.Output, StringComparison.Ordinal);

        // report --postgres with the demo's policy gives the demo's report again.
        var again = Path.Combine(_directory, "again");
        var report = CommandRun.Of("report", "--postgres", db, "--schema", DemoCommand.PostgresSchema, "--key-file", keyFile,
            "--policy", DemoCommand.PolicyFileOf(fromDatabase), "--time-zone", DemoCommand.TimeZoneId, "--from", "2021-09-01", "--to", "2022-06-30",
            "--format", "json", "--out", again);
        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Equal(File.ReadAllText(Path.Combine(fromDatabase, "report.json")), File.ReadAllText(Path.Combine(again, "report.json")));

        // A second demo replaces its own schema: the store holds one story.
        Assert.Equal(0, CommandRun.Of("demo", "--postgres", db, "--out", fromDatabase, "--events", "100", "--seed", $"{Seed}").ExitCode);
        var second = CommandRun.Of("verify", "--postgres", db, "--schema", DemoCommand.PostgresSchema, "--key-file", keyFile);
        Assert.StartsWith("verified: 1 instance, 100 records (100 events)", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_row_makes_verify_exit_one_naming_the_instance_and_sequence()
    {
        var db = await server.CreateDatabaseAsync();
        var output = Path.Combine(_directory, "db");
        Assert.Equal(0, CommandRun.Of("demo", "--postgres", db, "--out", output, "--events", "500").ExitCode);
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var update = new NpgsqlCommand(
                $"UPDATE {DemoCommand.PostgresSchema}.records SET requester_region = 'US' WHERE seq = 42 AND requester_region <> 'US'; " +
                $"UPDATE {DemoCommand.PostgresSchema}.records SET requester_region = 'CN' WHERE seq = 42 AND requester_region = 'US'", connection);
            await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var verify = CommandRun.Of("verify", "--postgres", db, "--schema", DemoCommand.PostgresSchema, "--key-file", DemoLog.KeyFileOf(output));

        Assert.Equal(1, verify.ExitCode);
        Assert.StartsWith("broken: ", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"{DemoCommand.PostgresInstanceId}: modified at sequence 42", verify.Output, StringComparison.Ordinal);

        var report = CommandRun.Of("report", "--postgres", db, "--schema", DemoCommand.PostgresSchema, "--key-file", DemoLog.KeyFileOf(output),
            "--format", "json", "--out", Path.Combine(_directory, "r"), "--strict");
        Assert.Equal(1, report.ExitCode);
        Assert.Equal("broken", JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "r", "report.json")))!["integrity"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_connections_and_schemas_are_usage_errors_that_never_print_the_password()
    {
        var db = await server.CreateDatabaseAsync();
        var port = ClosedPort();
        var closed = $"Host=127.0.0.1;Port={port};Database=x;Username=audit;Password=s3cret-pw;Timeout=5";

        var unreachable = CommandRun.Of("verify", "--postgres", closed);
        Assert.Equal(2, unreachable.ExitCode);
        Assert.StartsWith($"error: --postgres: cannot read the audit store at 127.0.0.1:{port}/x: ", unreachable.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", unreachable.Error + unreachable.Output, StringComparison.Ordinal);

        var demo = CommandRun.Of("demo", "--postgres", closed, "--out", Path.Combine(_directory, "d"), "--events", "10");
        Assert.Equal(2, demo.ExitCode);
        Assert.Contains("--postgres: cannot prepare the demo's schema", demo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", demo.Error + demo.Output, StringComparison.Ordinal);

        var invalid = CommandRun.Of("report", "--postgres", "Host=db;Port=not-a-port", "--out", _directory);
        Assert.Equal(2, invalid.ExitCode);
        Assert.StartsWith("error: --postgres: not a valid Npgsql connection string", invalid.Error, StringComparison.Ordinal);
        foreach (var command in new[] { new[] { "verify" }, ["demo", "--out", Path.Combine(_directory, "u")] })
        {
            var unknownKeyword = CommandRun.Of([.. command, "--postgres", "Host=db;Bogus=1"]);
            Assert.Equal(2, unknownKeyword.ExitCode);
            Assert.StartsWith("error: --postgres: not a valid Npgsql connection string", unknownKeyword.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("(Parameter", unknownKeyword.Error, StringComparison.Ordinal);
        }

        var empty = CommandRun.Of("verify", "--postgres", db);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("holds no audit store in schema \"data_access_audit\"", empty.Error, StringComparison.Ordinal);

        var badSchema = CommandRun.Of("verify", "--postgres", db, "--schema", "Robert'); DROP TABLE x;--");
        Assert.Equal(2, badSchema.ExitCode);
        Assert.StartsWith("error: --schema 'Robert'); DROP TABLE x;--': expected lower-case letters", badSchema.Error, StringComparison.Ordinal);

        Assert.Contains("give exactly one input", CommandRun.Of("verify").Error, StringComparison.Ordinal);
        Assert.Contains("give exactly one input", CommandRun.Of("verify", "--log", _directory, "--postgres", db).Error, StringComparison.Ordinal);
        Assert.Contains("give exactly one input", CommandRun.Of("report", "--log", _directory, "--postgres", db).Error, StringComparison.Ordinal);
        Assert.Contains("--schema: only with --postgres", CommandRun.Of("verify", "--log", _directory, "--schema", "x").Error, StringComparison.Ordinal);
        Assert.Contains("only with --log DIR", CommandRun.Of("verify", "--postgres", db, "--witness-key", "x").Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_saves_the_heads_and_since_them_finds_rows_cut_with_the_head_row_and_an_instance_deleted_whole()
    {
        var db = await server.CreateDatabaseAsync();
        var output = Path.Combine(_directory, "db");
        Assert.Equal(0, CommandRun.Of("demo", "--postgres", db, "--out", output, "--events", "500").ExitCode);
        var keyFile = DemoLog.KeyFileOf(output);
        var heads = Path.Combine(_directory, "heads.json");
        string[] verify = ["verify", "--postgres", db, "--schema", DemoCommand.PostgresSchema, "--key-file", keyFile];

        var saved = CommandRun.Of([.. verify, "--save-heads", heads]);

        Assert.True(saved.ExitCode == 0, saved.Output + saved.Error);
        var head = JsonNode.Parse(File.ReadAllText(heads))!;
        Assert.Equal("access-store-heads/1", head["schema"]!.GetValue<string>());
        var instance = head["instances"]![0]!;
        Assert.Equal(DemoCommand.PostgresInstanceId, instance["instanceId"]!.GetValue<string>());
        Assert.Equal(500, instance["lastSequence"]!.GetValue<long>());
        var chain = instance["lastChain"]!.GetValue<string>();
        Assert.Contains($"  {DemoCommand.PostgresInstanceId}: verified, 500 records (500 events) up to sequence 500, chain {chain}", saved.Output, StringComparison.Ordinal);
        Assert.Contains($"heads saved to {heads}: keep it", saved.Output, StringComparison.Ordinal);

        // The report names the same head, so that a kept report can be compared with a kept heads file.
        var report = CommandRun.Of("report", "--postgres", db, "--schema", DemoCommand.PostgresSchema, "--key-file", keyFile, "--format", "json,md", "--out", Path.Combine(_directory, "r"));
        Assert.True(report.ExitCode == 0, report.Error);
        var source = JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "r", "report.json")))!["source"]!["postgres"]!;
        Assert.Equal(DemoCommand.PostgresSchema, source["schema"]!.GetValue<string>());
        Assert.Equal(instance.ToJsonString(), source["instances"]![0]!.ToJsonString());
        // (Markdown escapes the '_' of the schema's name.)
        Assert.Contains($"- PostgreSQL schema access\\_report\\_demo, instance {DemoCommand.PostgresInstanceId}: up to sequence 500, chain {chain}",
            File.ReadAllText(Path.Combine(_directory, "r", "report.md")), StringComparison.Ordinal);

        // Only SQL: the last rows deleted and the head row moved back onto the chain value of the new last row.
        await ExecuteAsync(db, $"""
            DELETE FROM {DemoCommand.PostgresSchema}.records WHERE seq > 490;
            UPDATE {DemoCommand.PostgresSchema}.instances i SET last_seq = 490, last_chain = decode(substring(r.record::text from '"chain":"([0-9a-f]+)"'), 'hex')
            FROM {DemoCommand.PostgresSchema}.records r WHERE r.seq = 490
            """);
        Assert.Equal(0, CommandRun.Of(verify).ExitCode);
        var cut = CommandRun.Of([.. verify, "--since", heads, "--save-heads", heads]);
        Assert.Equal(1, cut.ExitCode);
        Assert.StartsWith("broken: 1 instance, 490 records (490 events), keyed, checked against 1 kept head", cut.Output, StringComparison.Ordinal);
        Assert.Contains($"{DemoCommand.PostgresInstanceId}: deleted at sequence 491: records 491 to 500 are missing: the kept head has the instance up to sequence 500", cut.Output, StringComparison.Ordinal);
        Assert.Contains($"--save-heads '{heads}': not written, because the store did not verify", cut.Error, StringComparison.Ordinal);
        Assert.Equal(chain, JsonNode.Parse(File.ReadAllText(heads))!["instances"]![0]!["lastChain"]!.GetValue<string>());

        await ExecuteAsync(db, $"DELETE FROM {DemoCommand.PostgresSchema}.records; DELETE FROM {DemoCommand.PostgresSchema}.instances");
        Assert.Equal(0, CommandRun.Of(verify).ExitCode);
        var gone = CommandRun.Of([.. verify, "--since", heads]);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains($"{DemoCommand.PostgresInstanceId}: deleted at sequence 1: the instance is gone: the kept head has it up to sequence 500", gone.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Since_and_save_heads_refuse_the_wrong_kind_of_file_or_input_with_exit_two()
    {
        var db = await server.CreateDatabaseAsync();
        var checkpoint = Path.Combine(_directory, "checkpoint");
        File.WriteAllText(checkpoint, "audit.example.com/demo\n20000\nLs7XDgSh=\n\n— audit.example.com/demo abc=\n");
        var report = Path.Combine(_directory, "report.json");
        File.WriteAllText(report, "{\"schema\":\"access-report/1\"}");

        var notHeads = CommandRun.Of("verify", "--postgres", db, "--since", checkpoint);
        Assert.Equal(2, notHeads.ExitCode);
        Assert.StartsWith($"error: --since '{checkpoint}': not the heads of a PostgreSQL store: not JSON", notHeads.Error, StringComparison.Ordinal);
        Assert.Contains("Expected the access-store-heads/1 file that verify --postgres --save-heads wrote (a signed checkpoint of a file log is checked with verify --log DIR --public-key KEY --since FILE).", notHeads.Error, StringComparison.Ordinal);

        var wrongSchema = CommandRun.Of("verify", "--postgres", db, "--since", report);
        Assert.Equal(2, wrongSchema.ExitCode);
        Assert.Contains("its schema is \"access-report/1\", expected \"access-store-heads/1\"", wrongSchema.Error, StringComparison.Ordinal);

        var missing = CommandRun.Of("verify", "--postgres", db, "--since", Path.Combine(_directory, "none.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("cannot read the file", missing.Error, StringComparison.Ordinal);

        var log = CommandRun.Of("verify", "--log", _directory, "--save-heads", Path.Combine(_directory, "h.json"));
        Assert.Equal(2, log.ExitCode);
        Assert.Contains("--save-heads: only with --postgres CONNECTION", log.Error, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static string WithoutSource(string reportJson)
    {
        var json = JsonNode.Parse(File.ReadAllText(reportJson))!.AsObject();
        json.Remove("source");
        return json.ToJsonString();
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
