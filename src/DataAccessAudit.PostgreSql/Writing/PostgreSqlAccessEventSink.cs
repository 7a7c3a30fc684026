using System.Globalization;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.PostgreSql.Schema;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace DataAccessAudit.PostgreSql.Writing;

// The recording pipeline's sink into PostgreSQL. Each batch becomes one transaction: lock this instance's head row,
// COPY the batch's lines (binary), move the head to the batch's last sequence number and link, commit. The head row
// makes a retry idempotent: when a commit's outcome is unknown (the connection died), the next attempt finds the
// head already at the batch's end and writes nothing twice. A second process under the same instance id is refused
// before it writes by the instance's writer lock (InstanceWriterLock), held by the first; the head row's sequence
// check refuses any write from a stale head that gets past it. No lock is shared between instances.
//
// With a spill directory, a batch the database cannot take is appended to the instance's spill file instead (the
// same lines, chained onto the same head), and the pipeline goes on; once the database answers again (tried at most
// every RetryInterval, before each batch and on each flush), the file is replayed into it in order, after checking
// that every line links to the one before and the first to the database's head, and then deleted.
//
// A database that answers but refuses this app (StoreRefusal: its credentials, its database, a privilege) is kept
// apart from an outage in what it says (StoreRefusedException, logged once as StoreRefused, reported by the health
// check) but not in what it does: batches are spilled or stay queued, because an operator can correct the password
// or the grant while the app runs, and nothing recorded may be lost meanwhile.
internal sealed class PostgreSqlAccessEventSink : IAccessEventSink, IGapRecordingSink, IDropCountingSink, IAsyncDisposable, IDisposable
{
    private const string CopyColumns =
        "instance_id, seq, written, type, time, requester_id, requester_region, category, data_region, stored_in, " +
        "resource_id, resource_type, subjects, outcome, cross_border, findings, record";

    // Lines per transaction when a spill file is replayed.
    private const int ReplayChunk = 4096;

    // How long a spilling sink waits after a failed attempt before it tries the database again.
    internal static readonly Duration RetryInterval = Duration.FromSeconds(1);

    private readonly PostgreSqlStoreOptions _options;
    private readonly StoreSchema _schema;
    private readonly NpgsqlDataSource _dataSource;
    private readonly InstanceWriterLock _writerLock;
    private readonly IClock _clock;
    private readonly ILogger? _logger;
    private readonly ChainHasher _hasher;
    private readonly LogLineWriter _lines = new();
    private readonly EncodedBatch _batch = new(256);
    private readonly EncodedBatch _replay = new(ReplayChunk);
    private readonly byte[] _lastChain = new byte[ChainHasher.Size];
    private readonly string _copySql;
    private readonly string _lockHeadSql;
    private readonly string _moveHeadSql;
    private readonly HashSet<string> _modesLeftReported = new(StringComparer.Ordinal);
    private NpgsqlConnection? _connection;
    private bool _ready;
    private bool _pending;
    private long _lastSeq;
    private Instant _lastWritten;
    private Instant _partitionEnsuredUntil;
    private bool _disposed;
    private SpillFile? _spill;
    private Instant _retryAfter;

    // The store's refusal of this app (credentials, database, privileges) since the last committed write, for the
    // health check; and the refusal last logged, so that retries every second do not repeat it.
    private volatile StoreRefusedException? _refusal;
    private string? _refusalLogged;

    public PostgreSqlAccessEventSink(PostgreSqlStoreOptions options, IClock clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _options = options;
        _schema = new StoreSchema(options.Schema);
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        _writerLock = new InstanceWriterLock(options.ConnectionString, _schema.Name, options.InstanceId);
        _clock = clock;
        _logger = logger;
        _hasher = options.KeyId is { } keyId && options.Key is { } key
            ? ChainHasher.Keyed(keyId, Convert.FromBase64String(key))
            : ChainHasher.Unkeyed();
        _copySql = $"COPY {_schema.Records} ({CopyColumns}) FROM STDIN (FORMAT BINARY)";
        _lockHeadSql = $"SELECT last_seq, last_chain FROM {_schema.Instances} WHERE instance_id = $1 FOR UPDATE";
        _moveHeadSql = $"UPDATE {_schema.Instances} SET last_seq = $2, last_chain = $3, last_written = $4 WHERE instance_id = $1";
    }

    // The last sequence number the database is known to hold for this instance (for tests and the health check).
    internal long LastSequence => _lastSeq;

    internal string InstanceId => _options.InstanceId;

    // Why the store refuses this instance's writes, as long as it does; null once a write commits again.
    internal StoreRefusedException? Refusal => _refusal;

    // The writer lock's database session (its backend process id; 0 while it holds none), and whether this process
    // ever held the lock: what the health check compares with the lock's holder in the database.
    internal int WriterLockSession => _writerLock.SessionProcessId;

    internal bool WriterLockEverHeld => _writerLock.EverHeld;

    // The health check found the writer lock held by no session (its session alone was cut): the lock is taken again
    // before the next write, rather than only after the database is next found unreachable.
    internal void SuspectWriterLock() => _writerLock.Suspect();

    // Runs after a batch's transaction commits and before the sink learns it did: lets tests lose the commit's
    // acknowledgement, as a connection that dies at that moment does.
    internal Action? AfterCommit { get; set; }

    // The spill file being written or waiting for replay; null when the database holds everything.
    internal string? SpillPath => _spill?.FilePath;

    public ValueTask WriteAsync(ReadOnlyMemory<AccessRecord> batch, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batch.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var first = batch.Span[0].Event;
        if (_pending)
        {
            // The last attempt failed: its lines go first, unchanged. If they were this very batch, it is done.
            var retried = ReferenceEquals(_batch.FirstEvent, first) && _batch.Count == batch.Length;
            Deliver();
            if (retried)
            {
                return ValueTask.CompletedTask;
            }
        }

        Encode(batch.Span);
        Deliver();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public long TooLargeCount { get; private set; }

    public ValueTask WriteGapAsync(long dropped, Instant since, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pending)
        {
            Deliver();
        }

        Start(1);
        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        _lastChain.CopyTo(chain);
        _lines.AppendGap(_lastSeq + 1, _batch.Written, dropped, since, _hasher, chain);
        Seal(chain, "gap");
        Deliver();
        return ValueTask.CompletedTask;
    }

    // Every batch is committed (or spilled and synced) by WriteAsync: nothing is buffered here. A flush is also when
    // a spill file is replayed once the database is back, even if no access is recorded meanwhile.
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_spill is not null && !_pending)
        {
            TryReplay();
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _spill?.Dispose();
        _connection?.Dispose();
        _dataSource.Dispose();
        _writerLock.Dispose();
        _hasher.Dispose();
        _lines.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Encode(ReadOnlySpan<AccessRecord> records)
    {
        Start(records.Length);
        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        _lastChain.CopyTo(chain);
        for (var i = 0; i < records.Length; i++)
        {
            var tooLarge = _lines.TooLarge;
            _lines.AppendEvent(records[i], _lastSeq + 1 + i, _hasher, chain);

            // An access too large for a record was written as a gap in its place: its row is that gap's.
            var replaced = _lines.TooLarge != tooLarge;
            _batch.Records[i] = replaced ? null : records[i];
            _batch.Types[i] = replaced ? "gap" : null;
            _batch.LineEnds[i] = _lines.Length - 1;
        }

        TooLargeCount += _lines.TooLarge;
        if (_lines.TooLarge > 0 && _logger is not null)
        {
            PostgreSqlSinkMessages.AccessTooLarge(_logger, _lines.TooLarge, _options.InstanceId);
        }

        _batch.FirstEvent = records[0].Event;
        _batch.Count = records.Length;
        _batch.Lines = _lines.Written;
        chain.CopyTo(_batch.LastChain);
        _pending = true;
    }

    private void Start(int count)
    {
        EnsureReady();
        _batch.Reset(count);
        _lines.Clear();
        _batch.PreviousSeq = _lastSeq;
        _lastChain.CopyTo(_batch.PreviousChain);

        // Written times never go back within an instance, so a month's partition holds a contiguous run of each
        // instance's chain, and dropping the oldest partitions removes a prefix of every chain.
        var now = _clock.GetCurrentInstant();
        _batch.Written = now > _lastWritten ? now : _lastWritten;
    }

    private void Seal(ReadOnlySpan<byte> chain, string type)
    {
        _batch.Types[0] = type;
        _batch.LineEnds[0] = _lines.Length - 1;
        _batch.Count = 1;
        _batch.Lines = _lines.Written;
        chain.CopyTo(_batch.LastChain);
        _pending = true;
    }

    // Gets the encoded batch to the database, or, when it cannot be reached and a spill directory is set, to the
    // spill file; either way the batch is then done. While a spill file holds lines the database does not, every
    // batch goes after them: to the database once the file is replayed, else to the file.
    private void Deliver()
    {
        if (_spill is null || TryReplay())
        {
            try
            {
                Commit(_batch);
                Advance();
                return;
            }
            catch (IOException exception) when (exception is StoreUnavailableException or StoreRefusedException && _options.SpillDirectory is not null)
            {
                // A refusal spills too: an operator can correct the password or the grant while the app runs, and
                // what was recorded meanwhile must not wait in memory, where a restart would lose it. Its own
                // message (StoreRefused) was logged when it was found, naming it as a refusal, not an outage.
                _retryAfter = _clock.GetCurrentInstant() + RetryInterval;
                _spill = SpillFile.Create(_options.SpillDirectory, _options.InstanceId, _clock.GetCurrentInstant());
                if (_logger is not null && exception is StoreUnavailableException)
                {
                    PostgreSqlSinkMessages.SpillStarted(_logger, _options.InstanceId, _spill.FilePath, exception);
                }

                ReportModes(_spill);
                ReportTorn(_spill);
            }
        }

        _spill!.Append(_batch.Lines.Span);
        Advance();
    }

    // Replays the spill file into the database, in chunks of one transaction each, skipping the lines the database
    // already holds, then deletes it. False when the database still cannot be reached (the file stays).
    private bool TryReplay()
    {
        var spill = _spill!;
        var now = _clock.GetCurrentInstant();
        if (now < _retryAfter)
        {
            return false;
        }

        try
        {
            var (headSeq, headChain) = ReadHead();
            var replayed = ReplayFrom(spill, headSeq, headChain);
            spill.Delete();
            _spill = null;
            if (_logger is not null)
            {
                PostgreSqlSinkMessages.SpillReplayed(_logger, _options.InstanceId, replayed, spill.FilePath);
            }

            return true;
        }
        catch (IOException exception) when (exception is StoreUnavailableException or StoreRefusedException)
        {
            _retryAfter = now + RetryInterval;
            return false;
        }
    }

    private long ReplayFrom(SpillFile spill, long headSeq, byte[] headChain)
    {
        var seq = headSeq;
        var chain = headChain.ToArray();
        var stored = new byte[ChainHasher.Size];
        var link = new byte[ChainHasher.Size];
        var lines = new System.Buffers.ArrayBufferWriter<byte>(256 * 1024);
        var lineNumber = 0L;
        var replayed = 0L;
        StartChunk();
        spill.ReadLines(memory =>
        {
            lineNumber++;
            var line = memory.Span;
            if (!LogFormat.TrySplitChain(line, out var prefix, stored) || !LogFormat.TryReadFields(line, out var fields) || fields.Seq is not { } lineSeq)
            {
                throw Corrupt(spill, lineNumber, "is not an access-log/1 record line ending in its chain member");
            }

            if (lineSeq < headSeq)
            {
                return;
            }

            if (lineSeq == headSeq)
            {
                // Replayed before (the file's deletion was lost): the database must hold this very line.
                if (!stored.AsSpan().SequenceEqual(headChain))
                {
                    throw Corrupt(spill, lineNumber, string.Create(CultureInfo.InvariantCulture, $"has sequence number {lineSeq}, which the database holds with another link"));
                }

                return;
            }

            if (lineSeq != seq + 1)
            {
                throw Corrupt(spill, lineNumber, string.Create(CultureInfo.InvariantCulture, $"has sequence number {lineSeq} where {seq + 1} was expected (the database holds the instance up to {headSeq})"));
            }

            _hasher.LinkPrefix(chain, prefix, link);
            if (!link.AsSpan().SequenceEqual(stored))
            {
                throw Corrupt(spill, lineNumber, string.Create(CultureInfo.InvariantCulture, $"(sequence number {lineSeq}) does not link to the record before it: the file was changed"));
            }

            var index = _replay.Count;
            if (fields.IsEvent)
            {
                if (!Interchange.AccessEventJson.TryParse([.. prefix, (byte)'}'], out var record, out var error))
                {
                    throw Corrupt(spill, lineNumber, $"is not a readable access event ({error})");
                }

                _replay.Records[index] = record;
            }
            else
            {
                _replay.Types[index] = fields.Type ?? "record";
            }

            line.CopyTo(lines.GetSpan(line.Length + 1));
            lines.GetSpan(line.Length + 1)[line.Length] = (byte)'\n';
            lines.Advance(line.Length + 1);
            _replay.LineEnds[index] = lines.WrittenCount - 1;
            _replay.Count = index + 1;
            seq = lineSeq;
            stored.CopyTo(chain, 0);
            if (_replay.Count == ReplayChunk)
            {
                CommitChunk();
            }
        });

        if (_replay.Count > 0)
        {
            CommitChunk();
        }

        if (seq < _lastSeq)
        {
            throw Corrupt(spill, lineNumber, string.Create(CultureInfo.InvariantCulture, $"ends at sequence number {seq}, but this process spilled up to {_lastSeq}: lines are missing"));
        }

        return replayed;

        void StartChunk()
        {
            _replay.Reset(ReplayChunk);
            _replay.PreviousSeq = seq;
            chain.CopyTo(_replay.PreviousChain, 0);
            lines.Clear();
        }

        void CommitChunk()
        {
            _replay.Lines = lines.WrittenMemory;
            chain.CopyTo(_replay.LastChain, 0);
            var now = _clock.GetCurrentInstant();
            _replay.Written = now > _lastWritten ? now : _lastWritten;
            Commit(_replay);
            _lastWritten = _replay.Written;
            replayed += _replay.Count;
            StartChunk();
        }
    }

    private (long Seq, byte[] Chain) ReadHead()
    {
        var connection = Connection();
        try
        {
            using var head = new NpgsqlCommand($"SELECT last_seq, last_chain FROM {_schema.Instances} WHERE instance_id = $1", connection);
            head.Parameters.Add(new NpgsqlParameter { Value = _options.InstanceId });
            using var reader = head.ExecuteReader();
            if (!reader.Read())
            {
                throw new InvalidOperationException($"Audit instance '{_options.InstanceId}' has no row in {_schema.Instances}: the store's tables were changed while this process was writing.");
            }

            return (reader.GetInt64(0), (byte[])reader.GetValue(1));
        }
        catch (Exception exception) when (IsUnavailable(exception) || StoreRefusal.Find(exception) is not null)
        {
            throw StoreFailure(exception);
        }
    }

    private static InvalidOperationException Corrupt(SpillFile spill, long line, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"The spill file '{spill.FilePath}' cannot be replayed: line {line} {problem}. Nothing more was written from it; it is kept for inspection, and recording waits until it is repaired or removed."));

    private void EnsureReady()
    {
        if (_ready)
        {
            return;
        }

        var connection = Connection();
        try
        {
            _schema.MigrateAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
            using (var register = new NpgsqlCommand($"""
                INSERT INTO {_schema.Instances} (instance_id, created, key_id, last_seq, last_chain, last_written)
                VALUES ($1, $2, $3, 0, $4, $2) ON CONFLICT (instance_id) DO NOTHING
                """, connection))
            {
                register.Parameters.Add(new NpgsqlParameter { Value = _options.InstanceId });
                register.Parameters.Add(new NpgsqlParameter { Value = StoreTime.ToDateTime(_clock.GetCurrentInstant())!.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                register.Parameters.Add(new NpgsqlParameter { Value = (object?)_hasher.KeyId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                register.Parameters.Add(new NpgsqlParameter { Value = new byte[ChainHasher.Size] });
                register.ExecuteNonQuery();
            }

            using (var head = new NpgsqlCommand($"SELECT key_id, last_seq, last_chain, last_written FROM {_schema.Instances} WHERE instance_id = $1", connection))
            {
                head.Parameters.Add(new NpgsqlParameter { Value = _options.InstanceId });
                using var reader = head.ExecuteReader();
                reader.Read();
                if (HeadKeyCheck.OtherKeyId(_options.InstanceId, reader.IsDBNull(0) ? null : reader.GetString(0), _hasher.KeyId) is { } otherKeyId)
                {
                    throw new InvalidOperationException($"{otherKeyId}. {HeadKeyCheck.Remedy}");
                }

                _lastSeq = reader.GetInt64(1);
                ((byte[])reader.GetValue(2)).CopyTo(_lastChain, 0);
                _lastWritten = StoreTime.ToInstant(reader.GetDateTime(3));
            }

            CheckKeyReproducesHead(connection);
            if (_options.SpillDirectory is { } directory && SpillFile.OpenExisting(directory, _options.InstanceId, _clock.GetCurrentInstant()) is { } spill)
            {
                ReportModes(spill);
                ReportTorn(spill);

                // A previous process spilled and stopped before the database returned: its lines continue this
                // instance's chain, so new lines go after them, and the next batch or flush replays them.
                _spill = spill;
                ContinueAfter(spill);
            }

            _ready = true;
        }
        catch (Exception exception) when (IsUnavailable(exception) || StoreRefusal.Find(exception) is not null)
        {
            throw StoreFailure(exception);
        }
        catch
        {
            DropConnection();
            throw;
        }
    }

    // A key id naming another key than the instance's (see HeadKeyCheck) is refused before anything is written.
    private void CheckKeyReproducesHead(NpgsqlConnection connection)
    {
        if (!HeadKeyCheck.ReproducesAsync(connection, _schema, _options.InstanceId, _lastSeq, _hasher, CancellationToken.None).GetAwaiter().GetResult())
        {
            throw new InvalidOperationException($"{HeadKeyCheck.ReplacedKey(_options.InstanceId, _hasher.KeyId!, _lastSeq)}. Nothing was written. {HeadKeyCheck.Remedy}");
        }
    }

    // Writes an encoded batch in one transaction; returns normally also when an earlier attempt already committed it.
    private void Commit(EncodedBatch batch)
    {
        var connection = Connection();
        try
        {
            if (batch.Written >= _partitionEnsuredUntil)
            {
                _schema.EnsurePartitionAsync(connection, batch.Written, CancellationToken.None).GetAwaiter().GetResult();
                var month = batch.Written.InUtc().Date;
                _partitionEnsuredUntil = new LocalDate(month.Year, month.Month, 1).PlusMonths(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
            }

            using var transaction = connection.BeginTransaction();
            long headSeq;
            byte[] headChain;
            using (var lockHead = new NpgsqlCommand(_lockHeadSql, connection, transaction))
            {
                lockHead.Parameters.Add(new NpgsqlParameter { Value = _options.InstanceId });
                using var reader = lockHead.ExecuteReader();
                if (!reader.Read())
                {
                    throw new InvalidOperationException($"Audit instance '{_options.InstanceId}' has no row in {_schema.Instances}: the store's tables were changed while this process was writing.");
                }

                headSeq = reader.GetInt64(0);
                headChain = (byte[])reader.GetValue(1);
            }

            if (headSeq == batch.LastSeq && headChain.AsSpan().SequenceEqual(batch.LastChain))
            {
                // The previous attempt committed before its connection failed: nothing to write again.
                transaction.Commit();
                return;
            }

            if (headSeq != batch.PreviousSeq || !headChain.AsSpan().SequenceEqual(batch.PreviousChain))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Audit instance '{_options.InstanceId}' was written by another process: the database holds its sequence up to {headSeq}, this process expected {batch.PreviousSeq}. Every process writing at once needs its own PostgreSqlStoreOptions.InstanceId; this batch stays queued."));
            }

            Copy(connection, batch);
            using (var moveHead = new NpgsqlCommand(_moveHeadSql, connection, transaction))
            {
                moveHead.Parameters.Add(new NpgsqlParameter { Value = _options.InstanceId });
                moveHead.Parameters.Add(new NpgsqlParameter { Value = batch.LastSeq });
                moveHead.Parameters.Add(new NpgsqlParameter { Value = batch.LastChain });
                moveHead.Parameters.Add(new NpgsqlParameter { Value = StoreTime.ToDateTime(batch.Written)!.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                moveHead.ExecuteNonQuery();
            }

            transaction.Commit();
            _refusal = null;
            _refusalLogged = null;
            AfterCommit?.Invoke();
        }
        catch (Exception exception) when (IsUnavailable(exception) || StoreRefusal.Find(exception) is not null)
        {
            throw StoreFailure(exception);
        }
        catch (Exception exception) when (exception is not InvalidOperationException)
        {
            DropConnection();
            throw new IOException($"The audit store in PostgreSQL refused the batch ({exception.Message}); it stays queued.", exception);
        }
        catch
        {
            DropConnection();
            throw;
        }
    }

    // A database restarting, a connection cut or a server refusing connections for now: worth waiting for.
    private static bool IsUnavailable(Exception exception) => exception switch
    {
        StoreUnavailableException => true,
        StoreRefusedException => false,
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) ||
            postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => false,
    };

    // What the pipeline is told of a store that cannot take a write: an outage, or a refusal of this app. Both keep the
    // batch queued or spilled; they differ in what they say.
    private IOException StoreFailure(Exception exception) => IsUnavailable(exception) ? Unavailable(exception) : Refused(exception);

    private StoreUnavailableException Unavailable(Exception exception)
    {
        // After a restart every pooled connection is dead: open the next one afresh. The writer lock's session may
        // have died with them, so it is asked for again before the next write.
        DropConnection();
        _dataSource.Clear();
        _writerLock.Suspect();
        return exception as StoreUnavailableException ?? new StoreUnavailableException(
            $"The audit store in PostgreSQL could not be written ({exception.Message}); the batch stays queued and is written when the database can be reached.", exception);
    }

    // The store refuses this app: named as a refusal in the exception, the log (once, not on every retry) and the
    // health check, and kept queueing or spilling as for an outage, since an operator can correct it while the app
    // runs and nothing recorded may be lost meanwhile.
    private StoreRefusedException Refused(Exception exception)
    {
        DropConnection();
        if (exception is StoreRefusedException refused)
        {
            return refused;
        }

        var refusal = StoreRefusal.Describe(_options.ConnectionString, StoreRefusal.Find(exception)!);
        var spillPath = _spill?.FilePath ?? (_ready && _options.SpillDirectory is { } directory ? Path.Combine(directory, SpillFile.FileName(_options.InstanceId)) : null);
        var kept = spillPath is not null
            ? $"are spilled to {spillPath}"
            : "stay queued in memory (once the queue is full, recording blocks or drops with a gap record, by RecordingOptions.FullMode; a process stopped meanwhile loses them)";
        var error = new StoreRefusedException($"The audit store in PostgreSQL could not be written: {refusal}; recorded accesses {kept}, and are written once it is corrected.", exception);
        _refusal = error;
        if (_logger is not null && !string.Equals(_refusalLogged, refusal, StringComparison.Ordinal))
        {
            _refusalLogged = refusal;
            PostgreSqlSinkMessages.StoreRefused(_logger, _options.InstanceId, refusal, kept, exception);
        }

        return error;
    }

    private void Copy(NpgsqlConnection connection, EncodedBatch batch)
    {
        var written = StoreTime.ToDateTime(batch.Written)!.Value;
        using var importer = connection.BeginBinaryImport(_copySql);
        for (var i = 0; i < batch.Count; i++)
        {
            importer.StartRow();
            importer.Write(_options.InstanceId, NpgsqlDbType.Text);
            importer.Write(batch.PreviousSeq + 1 + i, NpgsqlDbType.Bigint);
            importer.Write(written, NpgsqlDbType.TimestampTz);
            if (batch.Records[i] is { } record)
            {
                var e = record.Event;
                importer.Write("event", NpgsqlDbType.Text);
                WriteNullable(importer, StoreTime.ToDateTime(e.Time));
                importer.Write(e.Requester.Id, NpgsqlDbType.Text);
                importer.Write(e.Requester.Region.Code, NpgsqlDbType.Text);
                importer.Write(e.Resource.Category.Name, NpgsqlDbType.Text);
                importer.Write(e.Resource.Region.Code, NpgsqlDbType.Text);
                WriteNullable(importer, e.Resource.StoredIn?.Code);
                importer.Write(e.Resource.Id, NpgsqlDbType.Text);
                WriteNullable(importer, e.Resource.Type);
                importer.Write(e.Subjects, NpgsqlDbType.Bigint);
                if (record.Decision is { } decision)
                {
                    importer.Write(OutcomeNames.Format(decision.Outcome), NpgsqlDbType.Text);
                    importer.Write(decision.CrossBorder, NpgsqlDbType.Boolean);
                    importer.Write(FindingNames(decision.Findings), NpgsqlDbType.Array | NpgsqlDbType.Text);
                }
                else
                {
                    importer.WriteNull();
                    importer.WriteNull();
                    importer.WriteNull();
                }
            }
            else
            {
                importer.Write(batch.Types[i] ?? "record", NpgsqlDbType.Text);
                for (var column = 0; column < 12; column++)
                {
                    importer.WriteNull();
                }
            }

            importer.Write(batch.Line(i), NpgsqlDbType.Json);
        }

        importer.Complete();
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, DateTime? value)
    {
        if (value is { } time)
        {
            importer.Write(time, NpgsqlDbType.TimestampTz);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static string[] FindingNames(FindingSet findings)
    {
        if (findings.IsEmpty)
        {
            return [];
        }

        var names = new List<string>(4);
        foreach (var finding in findings)
        {
            names.Add(finding.Name);
        }

        return [.. names];
    }

    private void ContinueAfter(SpillFile spill)
    {
        var chain = new byte[ChainHasher.Size];
        spill.ReadLines(memory =>
        {
            if (LogFormat.TrySplitChain(memory.Span, out _, chain) && LogFormat.TryReadFields(memory.Span, out var fields) &&
                fields.Seq is { } seq && seq > _lastSeq)
            {
                _lastSeq = seq;
                chain.CopyTo(_lastChain, 0);
            }
        });
    }

    private void ReportModes(SpillFile spill)
    {
        if (_logger is null)
        {
            return;
        }

        foreach (var mode in spill.ModeChanges)
        {
            if (mode.Refusal is null)
            {
                PostgreSqlSinkMessages.SpillModeTightened(_logger, mode.Kind, mode.Path, mode.OldMode, mode.NewMode);
            }
            else if (_modesLeftReported.Add(mode.Path))
            {
                // Once per path: a spill directory left open is found again at every outage.
                PostgreSqlSinkMessages.SpillModeNotTightened(_logger, mode.Kind, mode.Path, mode.OldMode, mode.Refusal, mode.NewMode);
            }
        }
    }

    private void ReportTorn(SpillFile spill)
    {
        if (spill.TornPath is { } aside && _logger is not null)
        {
            PostgreSqlSinkMessages.SpillTornLineMovedAside(_logger, spill.FilePath, _options.InstanceId, spill.TornBytes, aside);
        }
    }

    private void Advance()
    {
        _lastSeq = _batch.LastSeq;
        _batch.LastChain.CopyTo(_lastChain, 0);
        _lastWritten = _batch.Written;
        _pending = false;
    }

    private NpgsqlConnection Connection()
    {
        try
        {
            // Every write goes through here: this process holds the instance's writer lock before it writes.
            _writerLock.Hold();
            if (_connection is { State: System.Data.ConnectionState.Open } open)
            {
                return open;
            }

            DropConnection();
            _connection = _dataSource.OpenConnection();
        }
        catch (Exception exception) when (StoreRefusal.Find(exception) is not null)
        {
            throw Refused(exception);
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StoreUnavailableException($"The audit store in PostgreSQL at {StoreAddress.Of(_options.ConnectionString)} cannot be reached ({exception.Message.TrimEnd('.')}); recorded accesses stay queued and are written when it can.", exception);
        }

        return _connection;
    }

    private void DropConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
