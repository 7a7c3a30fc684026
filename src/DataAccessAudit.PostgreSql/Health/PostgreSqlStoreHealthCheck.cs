using System.Globalization;
using DataAccessAudit.Log;
using DataAccessAudit.PostgreSql.Schema;
using DataAccessAudit.PostgreSql.Writing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Health;

// Whether the store can take this instance's writes, checked as the writer would, with a few cheap queries:
// - unhealthy when the database refuses this app (credentials, database, privileges: named as such, since waiting
//   will not fix it), cannot be reached, or holds a newer schema version; degraded while the store is not created
//   yet (the first write creates it);
// - unhealthy when the role lacks a privilege the writer needs (WriterPrivileges), each named with its GRANT;
// - unhealthy when the instance is chained with another key id than this process's, or its key under that id does
//   not reproduce the instance's head record (a replaced key): the writer refuses to write then;
// - unhealthy when another process holds the instance's writer lock while this process writes under the same
//   instance id, degraded when this process's writer lost the lock with its session (it takes it again before it
//   writes).
internal sealed class PostgreSqlStoreHealthCheck : IHealthCheck, IDisposable
{
    private readonly PostgreSqlStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreSchema _schema;
    private readonly PostgreSqlAccessEventSink? _writer;

    // writer: this process's writer of the instance, when it writes to the store; null in a process that only reads.
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

            // As the host's start checks them (StoreStartupCheck), and again at every probe: a grant revoked while the
            // app runs, or the records table given to another owner, may stop the writes only at the next month.
            var (role, missing) = await WriterPrivileges.CheckAsync(connection, _schema, _options, cancellationToken).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                return HealthCheckResult.Unhealthy($"Audit instance '{instance}' cannot write to the store, and waiting will not fix it: {WriterPrivileges.Describe(_options.ConnectionString, role, missing)}.");
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

            return await CheckKeyAsync(connection, cancellationToken).ConfigureAwait(false)
                ?? await CheckWriterLockAsync(connection, cancellationToken).ConfigureAwait(false)
                ?? HealthCheckResult.Healthy($"The audit store in schema \"{_schema.Name}\" is reachable and takes the writes of audit instance '{instance}'.");
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

    // The key id the store holds for the instance, and the head record's link under this process's key: either
    // differing is a key the writer refuses. Null when the key is the instance's, or the instance has no row yet.
    private async Task<HealthCheckResult?> CheckKeyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var instance = _options.InstanceId;
        string? keyId;
        long headSeq;
        await using (var command = new NpgsqlCommand($"SELECT key_id, last_seq FROM {_schema.Instances} WHERE instance_id = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = instance });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            keyId = reader.IsDBNull(0) ? null : reader.GetString(0);
            headSeq = reader.GetInt64(1);
        }

        var configured = _options.Key is null ? null : _options.KeyId;
        if (HeadKeyCheck.OtherKeyId(instance, keyId, configured) is { } otherKeyId)
        {
            return HealthCheckResult.Unhealthy($"{otherKeyId}: the writer refuses to write under '{instance}', and recorded accesses wait. {HeadKeyCheck.Remedy}");
        }

        if (configured is null)
        {
            return null;
        }

        using var hasher = ChainHasher.Keyed(configured, Convert.FromBase64String(_options.Key!));
        if (!await HeadKeyCheck.ReproducesAsync(connection, _schema, instance, headSeq, hasher, cancellationToken).ConfigureAwait(false))
        {
            return HealthCheckResult.Unhealthy($"{HeadKeyCheck.ReplacedKey(instance, configured, headSeq)}. The writer refuses to write under '{instance}', and recorded accesses wait. {HeadKeyCheck.Remedy}");
        }

        return null;
    }

    // Who holds the instance's writer lock, against this process's writer: null when this process holds it, or when
    // it does not write (another process holding it is then its writer, as it should be), or has not written yet and
    // no one holds it.
    private async Task<HealthCheckResult?> CheckWriterLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            return null;
        }

        var instance = _options.InstanceId;
        var session = _writer.WriterLockSession;
        var holder = await InstanceWriterLock.HolderAsync(connection, _schema.Name, instance, cancellationToken).ConfigureAwait(false);
        if (holder is { } pid && pid != session)
        {
            return HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                $"Audit instance '{instance}' is written by another process: database session {pid} holds its writer lock, so this process writes nothing under '{instance}' and its recorded accesses wait. Every process writing at once needs its own PostgreSqlStoreOptions.InstanceId: give this process or the other one another."));
        }

        if (holder is null && _writer.WriterLockEverHeld)
        {
            _writer.SuspectWriterLock();
            return HealthCheckResult.Degraded(
                $"Audit instance '{instance}' has lost its writer lock with the database session that held it (a restart or a cut connection); this process takes it again before it writes, unless another process under '{instance}' takes it first.");
        }

        return null;
    }
}
