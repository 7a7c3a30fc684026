using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Recording;
using DataAccessAudit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.PostgreSql.Tests.Writing;

// A role with the privileges the writer needs, and no more, starts and writes, also into a new month's partition. The
// store is set up as an administrator would: created by an owner role, with grants to the app's role.
public sealed class WriterPrivilegesTests(PostgreSqlServer server)
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Repeat((byte)0xC3, 32).ToArray());
    private static readonly Instant November = Instant.FromUtc(2026, 11, 30, 12, 0);

    [Fact]
    public async Task Start_RoleWithExactlyTheWritersPrivileges_StartsWritesAndCreatesTheNextMonthsPartition()
    {
        var (db, role, _) = await StoreAsync(server, "exact");
        var clock = new FakeClock(November);
        using var host = Host(PostgreSqlServer.ConnectionAs(db, role, "pw"), clock, keyed: true);
        await host.StartAsync(TestContext.Current.CancellationToken);

        var auditor = host.Services.GetRequiredService<IAccessAuditor>();
        OutageTests.Record(auditor, Stories.Events(5, seed: 1, prefix: "nov"));
        await auditor.FlushAsync(TestContext.Current.CancellationToken);
        clock.Advance(Duration.FromDays(2));
        OutageTests.Record(auditor, Stories.Events(5, seed: 2, prefix: "dec"));
        await auditor.FlushAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM pg_class WHERE relname = 'records_y2026m12'"));
        Assert.Equal(10L, await ScalarAsync(db, "SELECT count(*) FROM data_access_audit.records WHERE instance_id = 'web'"));
    }

    [Fact]
    public async Task Start_FreshDatabaseRoleWithCreateOnTheDatabase_StartsAndCreatesTheStore()
    {
        var db = await server.CreateDatabaseAsync();
        await server.CreateRoleAsync("fresh_db", "pw");
        await AdminAsync(db, $"GRANT CREATE ON DATABASE {Database(db)} TO fresh_db");

        using var host = Host(PostgreSqlServer.ConnectionAs(db, "fresh_db", "pw"), new FakeClock(November), keyed: false);
        await host.StartAsync(TestContext.Current.CancellationToken);
        var auditor = host.Services.GetRequiredService<IAccessAuditor>();
        OutageTests.Record(auditor, Stories.Events(3, seed: 3));
        await auditor.FlushAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3L, await ScalarAsync(db, "SELECT count(*) FROM data_access_audit.records"));
    }

    // A database whose store was created by an owner role, and a login role (prefix_w) with exactly the privileges the
    // writer needs: it owns the records table (for the partitions), and has the rest by grants.
    internal static async Task<(string Db, string Role, string Owner)> StoreAsync(PostgreSqlServer server, string prefix)
    {
        var db = await server.CreateDatabaseAsync();
        var (role, owner) = ($"{prefix}_w", $"{prefix}_o");
        await server.CreateRoleAsync(owner, "pw");
        await server.CreateRoleAsync(role, "pw");
        await AdminAsync(db, $"GRANT CREATE ON DATABASE {Database(db)} TO {owner}");
        using (var sink = Stories.Sink(PostgreSqlServer.ConnectionAs(db, owner, "pw"), "seed", new FakeClock(November)))
        {
            await sink.WriteAsync(Stories.Decided(Stories.Events(2, seed: 9, prefix: "seed")), TestContext.Current.CancellationToken);
        }

        await AdminAsync(db, $"""
            GRANT USAGE, CREATE ON SCHEMA data_access_audit TO {role};
            GRANT SELECT ON data_access_audit.schema_version TO {role};
            GRANT SELECT, INSERT, UPDATE ON data_access_audit.instances TO {role};
            ALTER TABLE data_access_audit.records OWNER TO {role};
            """);
        return (db, role, owner);
    }

    internal static async Task AdminAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<long> ScalarAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static IHost Host(string connectionString, IClock clock, bool keyed)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(clock);
        builder.Services.AddDataAccessAudit(audit => audit.UsePostgreSql(o =>
        {
            o.ConnectionString = connectionString;
            o.InstanceId = "web";
            (o.KeyId, o.Key) = keyed ? ("2026-11", Key) : (null, null);
        }));
        return builder.Build();
    }

    private static string Database(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;
}
