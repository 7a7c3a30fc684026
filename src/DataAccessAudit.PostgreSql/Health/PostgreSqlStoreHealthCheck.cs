using System.Globalization;
using DataAccessAudit.PostgreSql.Schema;
using DataAccessAudit.PostgreSql.Writing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Health;

// Healthy when the database answers and holds the store at the version this library writes; degraded when the
// store is not created yet (the first write creates it); unhealthy when the database refuses this app (its
// credentials, its database, its privileges: named as such, since waiting will not fix it, and also when this
// process's writer was refused a privilege this check's reads do not need), cannot be reached, or holds a newer
// version.
internal sealed class PostgreSqlStoreHealthCheck : IHealthCheck, IDisposable
{
    private readonly PostgreSqlStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreSchema _schema;
    private readonly PostgreSqlAccessEventSink? _writer;

    // writer: this process's writer, when it writes to the store; null in a process that only reads.
    public PostgreSqlStoreHealthCheck(IOptions<PostgreSqlStoreOptions> options, PostgreSqlAccessEventSink? writer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _dataSource = NpgsqlDataSource.Create(_options.ConnectionString);
        _schema = new StoreSchema(_options.Schema);
        _writer = writer;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var instance = _options.InstanceId;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

            // The writer's own refusal (a privilege its writes need, which this check's reads may not) comes first:
            // it is why recorded accesses are queued or spilled rather than written.
            if (_writer?.Refusal is { } refused)
            {
                return HealthCheckResult.Unhealthy($"Audit instance '{instance}' cannot write to the store, and waiting will not fix it: {refused.Message}", refused);
            }

            var version = await _schema.ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (version == 0)
            {
                return HealthCheckResult.Degraded($"The audit store in schema \"{_schema.Name}\" is not created yet; the first recorded access creates it.");
            }

            if (version != StoreSchema.CurrentVersion)
            {
                return HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture, $"The audit store in schema \"{_schema.Name}\" has schema version {version}; this library writes version {StoreSchema.CurrentVersion}."));
            }

            return HealthCheckResult.Healthy($"The audit store in schema \"{_schema.Name}\" is reachable.");
        }
        catch (Exception exception) when (StoreRefusal.Find(exception) is { } refusal)
        {
            return HealthCheckResult.Unhealthy($"The audit store refuses audit instance '{instance}', and waiting will not fix it: {StoreRefusal.Describe(_options.ConnectionString, refusal)}.", exception);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"The audit store in PostgreSQL at {StoreAddress.Of(_options.ConnectionString)} cannot be reached: {exception.Message}", exception);
        }
    }

    public void Dispose() => _dataSource.Dispose();
}
