using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Recording;
using DataAccessAudit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.PostgreSql.Tests.Writing;

// The host's start checks every privilege the writer will need, including the one only the first write of a new
// month uses (ownership of the records table, for its partition), and names each missing one with its GRANT. The
// store is set up as an administrator would: created by an owner role, with grants to the app's role.
public sealed class WriterPrivilegesTests(PostgreSqlServer server)
{
    private const string Schema = "\"data_access_audit\"";
    private static readonly string Key = Convert.ToBase64String(Enumerable.Repeat((byte)0xC3, 32).ToArray());
    private static readonly Instant November = Instant.FromUtc(2026, 11, 30, 12, 0);

    // What each case takes away from the exact privileges (Exactly), and what the start must then name.
    public static TheoryData<string, string, bool, string[]> Missing => new()
    {
        { "usage", "REVOKE USAGE ON SCHEMA data_access_audit FROM {role}", false, [$"USAGE on schema {Schema}", $"GRANT USAGE ON SCHEMA {Schema} TO \"{{role}}\""] },
        { "create", "REVOKE CREATE ON SCHEMA data_access_audit FROM {role}", false, [$"CREATE on schema {Schema}", $"GRANT CREATE ON SCHEMA {Schema} TO \"{{role}}\""] },
        { "version", "REVOKE SELECT ON data_access_audit.schema_version FROM {role}", false, [$"SELECT on table {Schema}.\"schema_version\"", $"GRANT SELECT ON {Schema}.\"schema_version\" TO \"{{role}}\""] },
        { "ins_sel", "REVOKE SELECT ON data_access_audit.instances FROM {role}", false, [$"GRANT SELECT ON {Schema}.\"instances\" TO \"{{role}}\""] },
        { "ins_ins", "REVOKE INSERT ON data_access_audit.instances FROM {role}", false, [$"GRANT INSERT ON {Schema}.\"instances\" TO \"{{role}}\""] },
        { "ins_upd", "REVOKE UPDATE ON data_access_audit.instances FROM {role}", false, [$"GRANT UPDATE ON {Schema}.\"instances\" TO \"{{role}}\""] },

        // The month's partition exists, so every write would succeed until the first of December.
        { "owner", "ALTER TABLE data_access_audit.records OWNER TO {owner}; GRANT INSERT ON data_access_audit.records TO {role}", false,
            [$"ownership on table {Schema}.\"records\" (owned by \"{{owner}}\")", $"ALTER TABLE {Schema}.\"records\" OWNER TO \"{{role}}\", or GRANT \"{{owner}}\" TO \"{{role}}\""] },
        { "rec_ins", "ALTER TABLE data_access_audit.records OWNER TO {owner}", false,
            [$"GRANT INSERT ON {Schema}.\"records\" TO \"{{role}}\"", $"ALTER TABLE {Schema}.\"records\" OWNER TO \"{{role}}\""] },
        { "rec_sel", "ALTER TABLE data_access_audit.records OWNER TO {owner}; GRANT INSERT ON data_access_audit.records TO {role}", true,
            [$"GRANT SELECT ON {Schema}.\"records\" TO \"{{role}}\"", $"ALTER TABLE {Schema}.\"records\" OWNER TO \"{{role}}\""] },
        { "all", "REVOKE ALL ON SCHEMA data_access_audit FROM {role}; REVOKE ALL ON data_access_audit.schema_version, data_access_audit.instances FROM {role}", false,
            [$"GRANT USAGE ON SCHEMA {Schema} TO \"{{role}}\"", $"GRANT CREATE ON SCHEMA {Schema} TO \"{{role}}\"", $"GRANT SELECT ON {Schema}.\"schema_version\" TO \"{{role}}\"",
             $"GRANT SELECT ON {Schema}.\"instances\" TO \"{{role}}\"", $"GRANT INSERT ON {Schema}.\"instances\" TO \"{{role}}\"", $"GRANT UPDATE ON {Schema}.\"instances\" TO \"{{role}}\""] },
    };

    [Theory]
    [MemberData(nameof(Missing))]
    public async Task Start_RoleMissingAPrivilegeTheWriterNeeds_FailsNamingTheRoleTheObjectThePrivilegeAndItsGrant(string name, string revoke, bool keyed, string[] expected)
    {
        var (db, role, owner) = await StoreAsync(server, $"miss_{name}");
        await AdminAsync(db, revoke.Replace("{role}", role, StringComparison.Ordinal).Replace("{owner}", owner, StringComparison.Ordinal));

        using var host = Host(PostgreSqlServer.ConnectionAs(db, role, "pw"), new FakeClock(November), keyed);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith($"The audit cannot start: the audit store in PostgreSQL at 127.0.0.1:{server.Port}/{Database(db)} does not give role \"{role}\" every privilege the writer needs", error.Message, StringComparison.Ordinal);
        foreach (var part in expected)
        {
            Assert.Contains(part.Replace("{role}", role, StringComparison.Ordinal).Replace("{owner}", owner, StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        }

        // Only what is missing: a role that lacks only ownership is not told to grant what it has.
        var listed = error.Message.Split(Environment.NewLine).Count(l => l.StartsWith("- ", StringComparison.Ordinal));
        Assert.Equal(expected.Count(e => e.Contains("GRANT", StringComparison.Ordinal) || e.Contains("ALTER TABLE", StringComparison.Ordinal)), listed);
    }

    [Fact]
    public async Task Start_StoreSchemaMissingAndRoleMayNotCreateIt_FailsNamingCreateOnTheDatabase()
    {
        var db = await server.CreateDatabaseAsync();
        await server.CreateRoleAsync("miss_db", "pw");

        using var host = Host(PostgreSqlServer.ConnectionAs(db, "miss_db", "pw"), new FakeClock(November), keyed: false);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"does not give role \"miss_db\" every privilege the writer needs", error.Message, StringComparison.Ordinal);
        Assert.Contains($"CREATE on database \"{Database(db)}\", to create the store's schema {Schema}, which does not exist yet: GRANT CREATE ON DATABASE \"{Database(db)}\" TO \"miss_db\"", error.Message, StringComparison.Ordinal);
    }

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
