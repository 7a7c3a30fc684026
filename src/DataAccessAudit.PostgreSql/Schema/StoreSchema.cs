using System.Globalization;
using Npgsql;
using NodaTime;

namespace DataAccessAudit.PostgreSql.Schema;

// The store's tables, created and migrated on start. Each migration is applied once, in order, in one transaction
// under an advisory lock, so that instances starting together migrate the schema exactly once. A database whose
// schema is newer than this code is refused: an older writer must not write rows a newer reader misreads.
internal sealed class StoreSchema
{
    // The version this code writes and reads.
    public const int CurrentVersion = 1;

    public StoreSchema(string schema)
    {
        if (!PostgreSqlStoreOptionsValidator.IsValidSchema(schema))
        {
            throw new ArgumentException($"'{schema}' is not a valid schema name: {PostgreSqlStoreOptionsValidator.SchemaRule}.", nameof(schema));
        }

        Name = schema;
        Records = $"\"{schema}\".records";
        Instances = $"\"{schema}\".instances";
        Version = $"\"{schema}\".schema_version";
    }

    public string Name { get; }

    // The partitioned table of records: events, gap and removal records of every instance.
    public string Records { get; }

    // One row per writing instance: its key id and the head of its chain (last sequence number and link).
    public string Instances { get; }

    public string Version { get; }

    // Migrations by the version they lead to: Migrations[0] creates version 1.
    private string[] Migrations =>
    [
        $"""
        CREATE TABLE {Instances} (
            instance_id text PRIMARY KEY,
            created timestamptz NOT NULL,
            key_id text,
            last_seq bigint NOT NULL,
            last_chain bytea NOT NULL,
            last_written timestamptz NOT NULL
        );
        CREATE TABLE {Records} (
            instance_id text NOT NULL,
            seq bigint NOT NULL,
            written timestamptz NOT NULL,
            type text NOT NULL,
            time timestamptz,
            requester_id text,
            requester_region text,
            category text,
            data_region text,
            stored_in text,
            resource_id text,
            resource_type text,
            subjects bigint,
            outcome text,
            cross_border boolean,
            findings text[],
            record json NOT NULL,
            PRIMARY KEY (instance_id, seq, written)
        ) PARTITION BY RANGE (written);
        COMMENT ON TABLE {Records} IS 'access-log/1 records (one line each, in column record) of every writing instance; see docs/scaling.md';
        """,
    ];

    // Creates the schema or brings it to CurrentVersion; throws when the database holds a newer version.
    public async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", cancellationToken, "data-access-audit schema " + Name).ConfigureAwait(false);
        if (!await SchemaExistsAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            // Only when missing: PostgreSQL checks CREATE on the database before it looks for the schema, even with
            // IF NOT EXISTS, and a role writing into a schema its administrator created need not hold it.
            await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS \"{Name}\"", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {Version} (
                id boolean PRIMARY KEY DEFAULT true CHECK (id),
                version integer NOT NULL,
                migrated timestamptz NOT NULL DEFAULT now()
            );
            """, cancellationToken).ConfigureAwait(false);
        var version = await ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The audit store in schema \"{Name}\" has schema version {version}, newer than version {CurrentVersion} that this version of DataAccessAudit.PostgreSql reads and writes. Upgrade DataAccessAudit.PostgreSql on this instance; nothing was written."));
        }

        var migrations = Migrations;
        for (var next = version + 1; next <= CurrentVersion; next++)
        {
            try
            {
                await ExecuteAsync(connection, migrations[next - 1], cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateTable)
            {
                // The app's own table of that name, in the schema it shares with the store: the transaction leaves it
                // as it was, and only the store's options can resolve it.
                throw new InvalidOperationException(
                    $"The audit store cannot be created in schema \"{Name}\": the schema already holds a table the store did not create ({exception.MessageText}). Give the store a schema of its own (PostgreSqlStoreOptions.Schema); nothing was written.",
                    exception);
            }
        }

        if (version < CurrentVersion)
        {
            await ExecuteAsync(connection, $"""
                INSERT INTO {Version} (id, version) VALUES (true, $1)
                ON CONFLICT (id) DO UPDATE SET version = excluded.version, migrated = now()
                """, cancellationToken, CurrentVersion).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The version in the database: 0 when the store was never created.
    public async Task<int> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT CASE WHEN to_regclass('{Version}') IS NULL THEN NULL ELSE 1 END", connection);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is DBNull or null)
        {
            return 0;
        }

        await using var read = new NpgsqlCommand($"SELECT version FROM {Version}", connection);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version ? version : 0;
    }

    public async Task<bool> SchemaExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Name });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    // The name of the partition holding records written in the month of an instant (UTC).
    public static string PartitionName(Instant written)
    {
        var date = written.InUtc().Date;
        return string.Create(CultureInfo.InvariantCulture, $"records_y{date.Year:0000}m{date.Month:00}");
    }

    // Creates the month's partition when missing. Instances may race to create it: losing the race is fine.
    public async Task EnsurePartitionAsync(NpgsqlConnection connection, Instant written, CancellationToken cancellationToken)
    {
        var date = written.InUtc().Date;
        var start = new LocalDate(date.Year, date.Month, 1);
        var end = start.PlusMonths(1);
        var sql = string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE IF NOT EXISTS \"{Name}\".{PartitionName(written)} PARTITION OF {Records} FOR VALUES FROM ('{start:yyyy'-'MM'-'dd} 00:00:00+00') TO ('{end:yyyy'-'MM'-'dd} 00:00:00+00')");
        try
        {
            await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it between our check and our create.
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
