using Npgsql;

namespace DataAccessAudit.PostgreSql.Writing;

// Makes one process the writer of an instance: a session-level advisory lock on a key derived from the schema and
// the instance id, taken before the first write and held on a connection of its own (not pooled, so that closing it
// ends the session and frees the lock) for the writer's lifetime. A second process under the same instance id finds
// it taken and is refused before it writes, while the first goes on.
//
// A database restart ends the session, and with it the lock. The sink marks the lock suspect whenever the database
// could not be reached; before it writes again, Hold asks the lock's session again: a live session still holds it
// (session locks are reentrant), a dead one is replaced by a new session that must take the lock anew, and is
// refused if another process took it meanwhile. The head row's sequence check stays behind this as the last defence
// (a lock session cut alone, unnoticed, while another process took over).
internal sealed class InstanceWriterLock : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _instanceId;
    private readonly string _lockName;
    private NpgsqlConnection? _connection;
    private volatile bool _suspect;

    // Whether this process has ever held the lock: losing it then is a takeover, not a refusal at start.
    private volatile bool _held;

    // The backend process id of the session holding the lock, 0 while none does; read by the health check.
    private volatile int _sessionProcessId;

    public InstanceWriterLock(string connectionString, string schema, string instanceId)
    {
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        _instanceId = instanceId;
        _lockName = LockName(schema, instanceId);
    }

    // The database session this process holds the lock on (its backend process id), or 0.
    public int SessionProcessId => _sessionProcessId;

    public bool EverHeld => _held;

    // A schema name holds no space, so the text names one schema and instance id.
    public static string LockName(string schema, string instanceId) => $"data-access-audit writer {schema} {instanceId}";

    // The backend process id of the session holding an instance's writer lock in the connection's database, or null
    // when none does. pg_locks shows an advisory lock on a bigint key as its high and low 32 bits (classid, objid)
    // with objsubid 1; it is readable by every role, so the health check needs no privilege for this.
    public static async Task<int?> HolderAsync(NpgsqlConnection connection, string schema, string instanceId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT pid FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)
            LIMIT 1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = LockName(schema, instanceId) });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int pid ? pid : null;
    }

    // The database could not be reached, and its restart may have ended the lock's session; or the health check
    // found the lock held by no session. Either way the lock is asked for again before the next write.
    public void Suspect() => _suspect = true;

    // Returns once this process's session holds the lock; throws InvalidOperationException when another process
    // holds it, and lets the connection's exception through when the database cannot be reached.
    public void Hold()
    {
        if (_connection is not null && !_suspect)
        {
            return;
        }

        var heldBefore = _held;
        if (_connection is not null)
        {
            try
            {
                // A live session held the lock all along and takes it again at once.
                if (TryLock(_connection))
                {
                    _suspect = false;
                    return;
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                // The session is gone (a restart or a cut connection), and with it the lock.
            }

            Drop();
        }

        var connection = _dataSource.OpenConnection();
        bool taken;
        try
        {
            taken = TryLock(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        if (!taken)
        {
            connection.Dispose();
            throw new InvalidOperationException(heldBefore
                ? $"Audit instance '{_instanceId}' is now written by another process: this process's writer lock in the database was lost with its session (the database restarted or the connection was cut) and another process under the same PostgreSqlStoreOptions.InstanceId took it. This process stops writing under '{_instanceId}' rather than fork its chain; its accesses stay queued."
                : $"Audit instance '{_instanceId}' is being written by another process, which holds its writer lock in the database: every process writing at once needs its own PostgreSqlStoreOptions.InstanceId. This process writes nothing under '{_instanceId}'; its accesses stay queued.");
        }

        _connection = connection;
        _sessionProcessId = connection.ProcessID;
        _held = true;
        _suspect = false;
    }

    public void Dispose()
    {
        Drop();
        _dataSource.Dispose();
    }

    private bool TryLock(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _lockName });
        return (bool)command.ExecuteScalar()!;
    }

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
        _sessionProcessId = 0;
    }
}
