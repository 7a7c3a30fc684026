using DataAccessAudit.DependencyInjection;
using DataAccessAudit.PostgreSql.Health;
using DataAccessAudit.PostgreSql.Writing;
using DataAccessAudit.Recording;
using DataAccessAudit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Npgsql;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.PostgreSql.Tests;

// A database that answers but refuses this app (a wrong password, a missing database, a missing privilege) is a
// configuration error, named as such, not an outage; and nothing recorded meanwhile is lost. These end the sessions
// of their own roles, so they run with the outage tests, alone.
[Collection(nameof(OutageTests))]
public sealed class RefusalTests(PostgreSqlServer server) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("audit-refusal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_wrong_password_is_refused_naming_the_user_and_the_server_not_as_an_outage_and_logged_once()
    {
        var db = await server.CreateDatabaseAsync();
        await server.CreateRoleAsync("refused_pw", "right-pw");
        var connection = PostgreSqlServer.ConnectionAs(db, "refused_pw", "wrong-pw");
        var logger = new FakeLogger<PostgreSqlAccessEventSink>();
        using var sink = new PostgreSqlAccessEventSink(new PostgreSqlStoreOptions { ConnectionString = connection, InstanceId = "web" }, SystemClock.Instance, logger);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var error = await Assert.ThrowsAnyAsync<IOException>(async () => await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 1)), TestContext.Current.CancellationToken));
            Assert.Equal("StoreRefusedException", error.GetType().Name);
            Assert.Contains($"the audit store in PostgreSQL at 127.0.0.1:{server.Port}/{Database(db)} refused the credentials of user 'refused_pw' (28P01: password authentication failed", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("cannot be reached", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-pw", error.Message, StringComparison.Ordinal);
        }

        // Once, not on every retry.
        var logged = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 4405);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Equal("StoreRefused", logged.Id.Name);
        Assert.Contains("refused the credentials of user 'refused_pw'", logged.Message, StringComparison.Ordinal);
        Assert.Contains("not an outage", logged.Message, StringComparison.Ordinal);
        Assert.Contains("stay queued in memory", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Id.Id == 4401);
    }

    [Fact]
    public async Task A_missing_privilege_and_a_missing_database_are_refusals_naming_what_is_missing()
    {
        var db = await server.CreateDatabaseAsync();
        await server.CreateRoleAsync("refused_priv", "pw");
        using (var sink = Stories.Sink(PostgreSqlServer.ConnectionAs(db, "refused_priv", "pw"), "web"))
        {
            // The role may log in, but not create the store's schema in the database.
            var error = await Assert.ThrowsAnyAsync<IOException>(async () => await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 2)), TestContext.Current.CancellationToken));
            Assert.Equal("StoreRefusedException", error.GetType().Name);
            Assert.Contains("refused user 'refused_priv' a privilege the writer needs (42501: permission denied for database", error.Message, StringComparison.Ordinal);

            // The health check's own reads need no such privilege: it reports the writer's refusal, not a store
            // waiting to be created.
            using var health = new PostgreSqlStoreHealthCheck(Options.Create(new PostgreSqlStoreOptions { ConnectionString = PostgreSqlServer.ConnectionAs(db, "refused_priv", "pw"), InstanceId = "web" }), sink);
            var result = await health.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
            Assert.Equal(HealthStatus.Unhealthy, result.Status);
            Assert.Contains("Audit instance 'web' cannot write to the store, and waiting will not fix it", result.Description, StringComparison.Ordinal);
            Assert.Contains("42501: permission denied for database", result.Description, StringComparison.Ordinal);
        }

        var missing = new NpgsqlConnectionStringBuilder(db) { Database = "no_such_database" }.ConnectionString;
        using (var sink = Stories.Sink(missing, "web"))
        {
            var error = await Assert.ThrowsAnyAsync<IOException>(async () => await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 3)), TestContext.Current.CancellationToken));
            Assert.Equal("StoreRefusedException", error.GetType().Name);
            Assert.Contains($"the PostgreSQL server at 127.0.0.1:{server.Port}/no_such_database has no such database (3D000", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Refused_recording_goes_on_queueing_logs_a_refusal_not_an_outage_and_writes_everything_once_corrected()
    {
        var db = await server.CreateDatabaseAsync();
        await server.CreateRoleAsync("refused_rt", "right-pw");
        await AdminAsync(db, $"GRANT CREATE ON DATABASE {Database(db)} TO refused_rt");
        var services = Stories.Recorder(PostgreSqlServer.ConnectionAs(db, "refused_rt", "wrong-pw"), "web", audit => audit.Services.AddFakeLogging());
        await using (services)
        {
            var auditor = services.GetRequiredService<IAccessAuditor>();
            OutageTests.Record(auditor, Stories.Events(50, seed: 4, prefix: "refused"));
            await Assert.ThrowsAnyAsync<IOException>(async () => await auditor.FlushAsync(TestContext.Current.CancellationToken));

            // Recording calls go on: an operator can correct the password while the app runs.
            OutageTests.Record(auditor, Stories.Events(30, seed: 5, prefix: "more"));
            var logs = services.GetFakeLogCollector().GetSnapshot();
            Assert.Contains(logs, r => r.Id.Id == 4005 && r.Id.Name == "StoreRefused");
            Assert.Contains(logs, r => r.Id.Id == 4405 && r.Message.Contains("refused the credentials of user 'refused_rt'", StringComparison.Ordinal));
            Assert.DoesNotContain(logs, r => r.Id.Id == 4004);

            // The role's password is set to the one the app has.
            await AdminAsync(db, "ALTER ROLE refused_rt PASSWORD 'wrong-pw'");
            await OutageTests.FlushUntilDurableAsync(auditor);
        }

        await OutageTests.AssertExactlyOnceAsync(db, 80);
    }

    [Fact]
    public async Task A_password_changed_while_the_app_runs_spills_names_the_refusal_in_the_health_check_and_replays_once_corrected()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        await server.CreateRoleAsync("refused_spill", "pw-1");
        await AdminAsync(db, $"GRANT CREATE ON DATABASE {Database(db)} TO refused_spill");
        var connection = PostgreSqlServer.ConnectionAs(db, "refused_spill", "pw-1");
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0));
        var logger = new FakeLogger<PostgreSqlAccessEventSink>();
        var options = new PostgreSqlStoreOptions { ConnectionString = connection, InstanceId = "web", SpillDirectory = _directory };
        using var sink = new PostgreSqlAccessEventSink(options, clock, logger);
        using var health = new PostgreSqlStoreHealthCheck(Options.Create(options), sink);
        await sink.WriteAsync(Stories.Decided(Stories.Events(10, seed: 6, prefix: "a")), ct);

        // The password is rotated in the database but not in the app, and the app's sessions end.
        await AdminAsync(db, "ALTER ROLE refused_spill PASSWORD 'pw-2'");
        await Stories.EndSessionsAsync(db, "SELECT pid FROM pg_stat_activity WHERE usename = 'refused_spill'");

        await sink.WriteAsync(Stories.Decided(Stories.Events(10, seed: 7, prefix: "b")), ct);
        clock.Advance(Duration.FromSeconds(2));
        await sink.WriteAsync(Stories.Decided(Stories.Events(10, seed: 8, prefix: "c")), ct);
        Assert.NotNull(sink.SpillPath);

        var refused = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 4405);
        Assert.Contains("refused the credentials of user 'refused_spill'", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"are spilled to {sink.SpillPath}", refused.Message, StringComparison.Ordinal);

        var result = await health.CheckHealthAsync(new HealthCheckContext(), ct);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("refuses audit instance 'web', and waiting will not fix it", result.Description, StringComparison.Ordinal);
        Assert.Contains("refused the credentials of user 'refused_spill' (28P01", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be reached", result.Description, StringComparison.Ordinal);

        await AdminAsync(db, "ALTER ROLE refused_spill PASSWORD 'pw-1'");
        clock.Advance(Duration.FromSeconds(2));
        await sink.FlushAsync(ct);
        Assert.Null(sink.SpillPath);
        Assert.Null(sink.Refusal);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), ct)).Status);
        await OutageTests.AssertExactlyOnceAsync(db, 30);
    }

    [Fact]
    public async Task A_host_whose_database_refuses_its_credentials_fails_to_start_naming_the_refusal_and_one_that_cannot_reach_it_starts()
    {
        var db = await server.CreateDatabaseAsync();
        await server.CreateRoleAsync("refused_start", "right-pw");
        using (var host = Host(PostgreSqlServer.ConnectionAs(db, "refused_start", "wrong-pw")))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
            Assert.StartsWith($"The audit cannot start: the audit store in PostgreSQL at 127.0.0.1:{server.Port}/{Database(db)} refused the credentials of user 'refused_start' (28P01", error.Message, StringComparison.Ordinal);
        }

        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        // An outage at start is no reason not to start: recorded accesses queue until the database is back.
        using (var host = Host($"Host=127.0.0.1;Port={port};Database=audit;Username=audit;Password=pw;Timeout=5"))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    private static IHost Host(string connectionString)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDataAccessAudit(audit => audit.UsePostgreSql(o => { o.ConnectionString = connectionString; o.InstanceId = "web"; }));
        return builder.Build();
    }

    private static string Database(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    private static async Task AdminAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
