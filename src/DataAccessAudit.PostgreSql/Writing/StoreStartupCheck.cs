using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Writing;

// Fails the host's start when the database refuses this app's connection (its credentials, its database, the
// CONNECT privilege), naming the refusal, instead of letting the app start and serve. Before the writer has reached
// the database it cannot spill (it needs the instance's head to continue the chain), so what is recorded in a process
// refused from the start can only wait in memory, where the restart that applies the corrected setting loses it; an
// app that does not start records nothing and loses nothing, and a rollout of a wrong password stops at its first
// instance. An outage is not a refusal: an app that starts while the database is down starts, and its recorded
// accesses queue until it is back (the check gives up after StartTimeout, so an unreachable server does not hold the
// start for long). Only the connection is checked here; a privilege the writes need (CREATE, INSERT) is found by the
// first write and reported then, by the log (event 4405) and the health check.
internal sealed class StoreStartupCheck(IOptions<PostgreSqlStoreOptions> options) : IHostedService
{
    internal static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = options.Value.ConnectionString;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
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
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
