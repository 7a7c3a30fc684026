using DataAccessAudit.PostgreSql.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Writing;

// Fails the host's start when the database refuses this app's connection (its credentials, its database, the
// CONNECT privilege), or when the role it connects as lacks a privilege the writer needs (WriterPrivileges), naming
// the refusal or every missing privilege with the statement that grants it, instead of letting the app start and
// serve. Before the writer has reached the database it cannot spill (it needs the instance's head to continue the
// chain), so what is recorded in a process refused from the start can only wait in memory, where the restart that
// applies the corrected setting loses it; an app that does not start records nothing and loses nothing, and a rollout
// of a wrong password or a missing grant stops at its first instance. A privilege is checked here rather than left to
// the first write because some are used only weeks after the start: the first write of a new month creates the
// month's partition, which PostgreSQL allows only the records table's owner. An outage is not a refusal: an app that
// starts while the database is down starts, and its recorded accesses queue until it is back (the check gives up
// after StartTimeout, so an unreachable server does not hold the start for long).
internal sealed class StoreStartupCheck(IOptions<PostgreSqlStoreOptions> options) : IHostedService
{
    internal static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var connectionString = settings.ConnectionString;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        string role;
        IReadOnlyList<MissingPrivilege> missing;
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            (role, missing) = await WriterPrivileges.CheckAsync(connection, new StoreSchema(settings.Schema), settings, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreRefusal.Find(exception) is { } refusal)
        {
            throw new InvalidOperationException(
                $"The audit cannot start: {StoreRefusal.Describe(connectionString, refusal)}. Nothing was recorded; the app starts once the store accepts it.", exception);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested &&
            exception is NpgsqlException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException or IOException)
        {
            // An outage, or a server too slow to answer in time: the writer queues recorded accesses until it can.
            return;
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The audit cannot start: {WriterPrivileges.Describe(connectionString, role, missing)}. Nothing was recorded.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
