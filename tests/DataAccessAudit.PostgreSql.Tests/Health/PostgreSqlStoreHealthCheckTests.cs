using DataAccessAudit.PostgreSql.Health;
using DataAccessAudit.PostgreSql.Tests.Writing;
using DataAccessAudit.PostgreSql.Writing;
using DataAccessAudit.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using NodaTime;

namespace DataAccessAudit.PostgreSql.Tests.Health;

// The health check reports what the writer needs: its role's privileges, the instance's key and its writer lock.
public sealed class PostgreSqlStoreHealthCheckTests(PostgreSqlServer server)
{
    private static readonly string KeyA = Convert.ToBase64String(Enumerable.Repeat((byte)0xA1, 32).ToArray());
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Repeat((byte)0xB2, 32).ToArray());

    [Fact]
    public async Task CheckHealth_KeyIdOtherThanTheInstances_IsUnhealthyNamingTheInstanceAndBothKeyIds()
    {
        var db = await server.CreateDatabaseAsync();
        using (var writer = Stories.Sink(db, "web-1", keyId: "2026-11", key: KeyA))
        {
            await writer.WriteAsync(Stories.Decided(Stories.Events(3, seed: 1)), TestContext.Current.CancellationToken);
        }

        var result = await CheckAsync(new PostgreSqlStoreOptions { ConnectionString = db, InstanceId = "web-1", KeyId = "2026-12", Key = KeyB });

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("Audit instance 'web-1' is chained with key id '2026-11' in the database, but this process is configured with key id '2026-12'", result.Description, StringComparison.Ordinal);
        Assert.Contains("configure that key, or give this process a new PostgreSqlStoreOptions.InstanceId", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_AnotherKeyUnderTheInstancesKeyId_IsUnhealthyAsTheWriterRefusesIt()
    {
        var db = await server.CreateDatabaseAsync();
        using (var writer = Stories.Sink(db, "web-1", keyId: "2026-11", key: KeyA))
        {
            await writer.WriteAsync(Stories.Decided(Stories.Events(3, seed: 2)), TestContext.Current.CancellationToken);
        }

        var same = await CheckAsync(new PostgreSqlStoreOptions { ConnectionString = db, InstanceId = "web-1", KeyId = "2026-11", Key = KeyA });
        var replaced = await CheckAsync(new PostgreSqlStoreOptions { ConnectionString = db, InstanceId = "web-1", KeyId = "2026-11", Key = KeyB });

        Assert.Equal(HealthStatus.Healthy, same.Status);
        Assert.Equal(HealthStatus.Unhealthy, replaced.Status);
        Assert.Contains("Audit instance 'web-1' is chained with key id '2026-11' in the database, but this process's key for '2026-11' does not reproduce its last record's link (sequence number 3)", replaced.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_WriterLockHeldByAnotherProcess_IsUnhealthyForTheRefusedWriterOnly()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        var options = new PostgreSqlStoreOptions { ConnectionString = db, InstanceId = "web-1" };
        using var first = Stories.Sink(db, "web-1");
        await first.WriteAsync(Stories.Decided(Stories.Events(3, seed: 3)), ct);
        using var second = Stories.Sink(db, "web-1");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await second.WriteAsync(Stories.Decided(Stories.Events(1, seed: 4)), ct));

        var ofFirst = await CheckAsync(options, first);
        var ofSecond = await CheckAsync(options, second);

        Assert.Equal(HealthStatus.Healthy, ofFirst.Status);
        Assert.Equal(HealthStatus.Unhealthy, ofSecond.Status);
        Assert.Contains($"Audit instance 'web-1' is written by another process: database session {first.WriterLockSession} holds its writer lock", ofSecond.Description, StringComparison.Ordinal);
        Assert.Contains("Every process writing at once needs its own PostgreSqlStoreOptions.InstanceId", ofSecond.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_WriterLockLostWithItsSession_IsDegradedUntilTheWriterTakesItAgain()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        var options = new PostgreSqlStoreOptions { ConnectionString = db, InstanceId = "web-1" };
        using var writer = Stories.Sink(db, "web-1");
        await writer.WriteAsync(Stories.Decided(Stories.Events(3, seed: 5)), ct);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(options, writer)).Status);
        var session = writer.WriterLockSession;
        Assert.NotEqual(0, session);

        await Stories.EndSessionsAsync(db, $"SELECT {session} AS pid");

        var lost = await CheckAsync(options, writer);
        Assert.Equal(HealthStatus.Degraded, lost.Status);
        Assert.Contains("Audit instance 'web-1' has lost its writer lock", lost.Description, StringComparison.Ordinal);

        // The writer takes it again before it writes on, even though its own connection outlived the lock's session.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await writer.WriteAsync(Stories.Decided(Stories.Events(1, seed: 6)), ct);
                break;
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(options, writer)).Status);
    }

    [Fact]
    public async Task CheckHealth_RoleLosesPrivilegesTheWriterNeeds_IsUnhealthyNamingEachWithItsGrantUntilGivenBack()
    {
        var (db, role, owner) = await WriterPrivilegesTests.StoreAsync(server, "health");
        var options = new PostgreSqlStoreOptions { ConnectionString = PostgreSqlServer.ConnectionAs(db, role, "pw"), InstanceId = "web-1" };
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(options)).Status);

        // While the app runs, the records table goes to another owner (the month's writes still succeed) and a grant
        // is revoked.
        await WriterPrivilegesTests.AdminAsync(db, $"ALTER TABLE data_access_audit.records OWNER TO {owner}; GRANT INSERT ON data_access_audit.records TO {role}; REVOKE CREATE ON SCHEMA data_access_audit FROM {role}");
        var result = await CheckAsync(options);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith($"Audit instance 'web-1' cannot write to the store, and waiting will not fix it: the audit store in PostgreSQL at 127.0.0.1:{server.Port}/", result.Description, StringComparison.Ordinal);
        Assert.Contains($"does not give role \"{role}\" every privilege the writer needs", result.Description, StringComparison.Ordinal);
        Assert.Contains($"GRANT CREATE ON SCHEMA \"data_access_audit\" TO \"{role}\"", result.Description, StringComparison.Ordinal);
        Assert.Contains($"ALTER TABLE \"data_access_audit\".\"records\" OWNER TO \"{role}\"", result.Description, StringComparison.Ordinal);

        await WriterPrivilegesTests.AdminAsync(db, $"ALTER TABLE data_access_audit.records OWNER TO {role}; GRANT CREATE ON SCHEMA data_access_audit TO {role}");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(options)).Status);
    }

    private static async Task<HealthCheckResult> CheckAsync(PostgreSqlStoreOptions options, PostgreSqlAccessEventSink? writer = null)
    {
        using var check = new PostgreSqlStoreHealthCheck(Options.Create(options), writer);
        return await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
    }
}
