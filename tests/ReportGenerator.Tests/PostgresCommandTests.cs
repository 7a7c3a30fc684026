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
        Assert.StartsWith($"verified: 1 instances, {Events} records ({Events} events), keyed", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"  {DemoCommand.PostgresInstanceId}: intact, {Events} records", verify.Output, StringComparison.Ordinal);

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
        Assert.StartsWith("verified: 1 instances, 100 records (100 events)", second.Output, StringComparison.Ordinal);
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
        var closed = $"Host=127.0.0.1;Port={ClosedPort()};Database=x;Username=audit;Password=s3cret-pw;Timeout=5";

        var unreachable = CommandRun.Of("verify", "--postgres", closed);
        Assert.Equal(2, unreachable.ExitCode);
        Assert.StartsWith("error: --postgres: cannot read the audit store: ", unreachable.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", unreachable.Error + unreachable.Output, StringComparison.Ordinal);

        var demo = CommandRun.Of("demo", "--postgres", closed, "--out", Path.Combine(_directory, "d"), "--events", "10");
        Assert.Equal(2, demo.ExitCode);
        Assert.Contains("--postgres: cannot prepare the demo's schema", demo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", demo.Error + demo.Output, StringComparison.Ordinal);

        var invalid = CommandRun.Of("report", "--postgres", "Host=db;Port=not-a-port", "--out", _directory);
        Assert.Equal(2, invalid.ExitCode);
        Assert.StartsWith("error: --postgres: not a valid Npgsql connection string", invalid.Error, StringComparison.Ordinal);

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
        Assert.Contains("only with --log DIR", CommandRun.Of("verify", "--postgres", db, "--since", "x").Error, StringComparison.Ordinal);
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
