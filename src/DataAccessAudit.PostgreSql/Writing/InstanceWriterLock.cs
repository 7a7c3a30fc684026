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
    private bool _suspect;

    // Whether this process has ever held the lock: losing it then is a takeover, not a refusal at start.
    private bool _held;

    public InstanceWriterLock(string connectionString, string schema, string instanceId)
    {
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        _instanceId = instanceId;

        // A schema name holds no space, so the text names one schema and instance id.
        _lockName = $"data-access-audit writer {schema} {instanceId}";
    }

    // The database could not be reached: its restart may have ended the lock's session.
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
    }
}
