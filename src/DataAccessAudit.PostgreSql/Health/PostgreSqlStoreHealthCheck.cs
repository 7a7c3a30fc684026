using System.Globalization;
using DataAccessAudit.PostgreSql.Schema;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Health;

// Healthy when the database answers and holds the store at the version this library writes; degraded when the
// store is not created yet (the first write creates it); unhealthy when the database cannot be reached or holds a
// newer version.
internal sealed class PostgreSqlStoreHealthCheck : IHealthCheck, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreSchema _schema;

    public PostgreSqlStoreHealthCheck(IOptions<PostgreSqlStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString);
        _schema = new StoreSchema(options.Value.Schema);
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var version = await _schema.ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            return version switch
            {
                0 => HealthCheckResult.Degraded($"The audit store in schema \"{_schema.Name}\" is not created yet; the first recorded access creates it."),
                StoreSchema.CurrentVersion => HealthCheckResult.Healthy($"The audit store in schema \"{_schema.Name}\" is reachable."),
                _ => HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture, $"The audit store in schema \"{_schema.Name}\" has schema version {version}; this library writes version {StoreSchema.CurrentVersion}.")),
            };
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"The audit store in PostgreSQL cannot be reached: {exception.Message}", exception);
        }
    }

    public void Dispose() => _dataSource.Dispose();
}
