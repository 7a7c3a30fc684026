using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.PostgreSql.Reporting;
using DataAccessAudit.PostgreSql.Schema;
using DataAccessAudit.PostgreSql.Verification;
using DataAccessAudit.Reporting;
using Npgsql;

namespace DataAccessAudit.PostgreSql;

/// <summary>
/// The PostgreSQL audit store as auditors see it: verifies every writing instance's chain, computes
/// <c>access-report/1</c> in SQL, and reads the events back. Writing goes through the recording pipeline
/// (<c>UsePostgreSql</c>), never through this class.
/// </summary>
public sealed class PostgreSqlAuditStore : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreSchema _schema;

    /// <summary>Opens the store in a database.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="schema">The schema holding the store; default <see cref="PostgreSqlStoreOptions.DefaultSchema"/>.</param>
    /// <exception cref="ArgumentException">The connection string or the schema name is not valid.</exception>
    public PostgreSqlAuditStore(string connectionString, string schema = PostgreSqlStoreOptions.DefaultSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        PostgreSqlStoreOptionsValidator.CheckConnectionString(connectionString);
        _schema = new StoreSchema(schema);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>Gets the schema holding the store.</summary>
    public string Schema => _schema.Name;

    /// <summary>Creates the store's tables, or migrates them to the version this library writes.</summary>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="InvalidOperationException">The database holds a newer schema version than this library knows.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _schema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies every writing instance's chain on its own: links, sequence numbers without gaps or repeats, typed
    /// columns that agree with the chained records, and the head each instance recorded; and, given heads kept from an
    /// earlier verification, that the store extends them.
    /// </summary>
    /// <param name="keys">The chain keys by id, as in a key file (<see cref="FileLogKeyRing.Read"/>); null for unkeyed stores.</param>
    /// <param name="since">
    /// Heads kept from an earlier verification (<see cref="PostgreSqlVerificationResult.Heads"/>), or null. Every
    /// instance they name must still exist, its rows must reach the kept sequence number, and the row there must carry
    /// the kept chain value; otherwise the instance is broken. Without them, rows cut off an instance's end together
    /// with its head row, and an instance deleted with its head row, cannot be seen.
    /// </param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The verification of every instance.</returns>
    /// <exception cref="InvalidOperationException">The database holds no store in the schema, or a newer version of it.</exception>
    public async Task<PostgreSqlVerificationResult> VerifyAsync(IReadOnlyDictionary<string, byte[]>? keys = null, PostgreSqlStoreHeads? since = null, CancellationToken cancellationToken = default)
    {
        var (result, _) = await VerifyCoreAsync(keys, since, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Computes the report in SQL (grouped counts and distinct counts in the database; only the groups come back)
    /// and states the verification of every instance's chain as its integrity. Gives the same report as
    /// <see cref="AccessReportBuilder"/> over the same events read from a file.
    /// </summary>
    /// <param name="options">The report's policy and period. <see cref="AccessReportOptions.Reevaluate"/>, a policy with
    /// bulk-data thresholds (<see cref="AccessPolicy.BulkData"/>: they count organizations and subject keys, which the
    /// store keeps only in the chained record) and events recorded without a decision make the store stream the rows
    /// through <see cref="AccessReportBuilder"/> instead; the report is the same either way.</param>
    /// <param name="keys">The chain keys by id; null for unkeyed stores.</param>
    /// <param name="source">What the report says it was computed from (the tool, when); null for none.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidOperationException">The database holds no store in the schema, or a newer version of it.</exception>
    public async Task<AccessReport> BuildReportAsync(AccessReportOptions options, IReadOnlyDictionary<string, byte[]>? keys = null, ReportSource? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (verification, gaps) = await VerifyCoreAsync(keys, since: null, cancellationToken).ConfigureAwait(false);
        var integrity = verification.ToReportIntegrity(gaps, _schema.Name);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var query = new SqlReportQuery(_schema, options);
        if (!options.Reevaluate && options.Policy.BulkData is null && !await query.HasUndecidedEventsAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            return await query.RunAsync(connection, integrity, source, cancellationToken).ConfigureAwait(false);
        }

        using var builder = new AccessReportBuilder(options);
        await builder.AddRangeAsync(ReadAsync(builder.AddProblem, cancellationToken), cancellationToken).ConfigureAwait(false);
        return builder.Build(integrity, source);
    }

    /// <summary>Reads every access event back, instance by instance in sequence order.</summary>
    /// <param name="onProblem">Receives each row whose record is not a readable event.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The events with their recorded decisions.</returns>
    public async IAsyncEnumerable<AccessRecord> ReadAsync(Action<InputProblem> onProblem, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onProblem);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RequireStoreAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT instance_id, seq, record::text FROM {_schema.Records} WHERE type = 'event' ORDER BY instance_id, seq", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (TryReadEvent(reader.GetString(2), out var record, out var error))
            {
                yield return record;
            }
            else
            {
                onProblem(new InputProblem(InstanceChainVerifier.Source(reader.GetString(0)), reader.GetInt64(1), error ?? "not an access-event/1 object"));
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _dataSource.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<(PostgreSqlVerificationResult Result, List<InputProblem> Gaps)> VerifyCoreAsync(IReadOnlyDictionary<string, byte[]>? keys, PostgreSqlStoreHeads? since, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RequireStoreAsync(connection, cancellationToken).ConfigureAwait(false);

        // One snapshot for the heads and the rows, so that writers going on meanwhile cannot look like a break.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var heads = new List<(string Id, string? KeyId, long Seq, byte[] Chain)>();
        await using (var command = new NpgsqlCommand($"SELECT instance_id, key_id, last_seq, last_chain FROM {_schema.Instances} ORDER BY instance_id COLLATE \"C\"", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                heads.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), (byte[])reader.GetValue(3)));
            }
        }

        var kept = since?.Instances.ToDictionary(h => h.InstanceId, StringComparer.Ordinal) ?? [];
        var results = new List<PostgreSqlInstanceVerification>();
        var gaps = new List<InputProblem>();
        foreach (var head in heads)
        {
            using var verifier = InstanceChainVerifier.Create(head.Id, head.KeyId, keys, out var refused);
            if (kept.TryGetValue(head.Id, out var keptHead))
            {
                verifier.Require(keptHead);
            }

            if (refused is not null)
            {
                results.Add(new PostgreSqlInstanceVerification(head.Id, head.KeyId, 0, 0, 0, LogFormat.ToHex(new byte[32]), 0, refused, LogVerdict.Broken));
                continue;
            }

            await using (var command = new NpgsqlCommand($"""
                SELECT seq, type, time, requester_id, requester_region, category, data_region, stored_in, resource_id,
                       resource_type, subjects, outcome, cross_border, findings, instance_id, written, record::text
                FROM {_schema.Records} WHERE instance_id = $1 ORDER BY seq, written
                """, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = head.Id });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && verifier.Add(reader))
                {
                }
            }

            verifier.Finish(head.Seq, head.Chain);
            results.Add(verifier.ToResult());
            gaps.AddRange(verifier.Gaps);
        }

        // Rows under an instance id that never registered were not written by this library.
        await using (var command = new NpgsqlCommand($"""
            SELECT r.instance_id, min(r.seq) FROM {_schema.Records} r
            WHERE NOT EXISTS (SELECT 1 FROM {_schema.Instances} i WHERE i.instance_id = r.instance_id)
            GROUP BY r.instance_id ORDER BY r.instance_id COLLATE "C"
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                var seq = reader.GetInt64(1);
                results.Add(new PostgreSqlInstanceVerification(id, null, 0, 0, 0, LogFormat.ToHex(new byte[32]), 0,
                    new LogBreak(LogBreakKind.Inserted, InstanceChainVerifier.Source(id), seq, 1,
                        "rows under an instance id that no writer registered"), LogVerdict.Broken));
            }
        }

        // An instance the kept heads name that has neither rows nor a head row was deleted whole: nothing left in the
        // database shows it ever wrote.
        var present = results.Select(r => r.InstanceId).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in kept.Values.Where(h => !present.Contains(h.InstanceId)))
        {
            results.Add(new PostgreSqlInstanceVerification(gone.InstanceId, null, 0, 0, 0, LogFormat.ToHex(new byte[32]), 0,
                new LogBreak(LogBreakKind.Deleted, InstanceChainVerifier.Source(gone.InstanceId), 1, 1, string.Create(CultureInfo.InvariantCulture,
                    $"the instance is gone: the kept head has it up to sequence {gone.LastSequence}, but the store holds neither its head row nor any of its rows")),
                LogVerdict.Broken));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        results.Sort((a, b) => string.CompareOrdinal(a.InstanceId, b.InstanceId));
        return (new PostgreSqlVerificationResult(results, keys is { Count: > 0 }, since), gaps);
    }

    // The event of a stored record line (the line without its chain member), with its recorded decision.
    internal static bool TryReadEvent(string line, out AccessRecord record, out string? error)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Span<byte> chain = stackalloc byte[32];
        return AccessEventJson.TryParse(LogFormat.TrySplitChain(bytes, out var prefix, chain) ? [.. prefix, (byte)'}'] : bytes, out record, out error);
    }

    private async Task RequireStoreAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var version = await _schema.ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (version == 0)
        {
            throw new InvalidOperationException($"The database holds no audit store in schema \"{_schema.Name}\": nothing was recorded there yet, or the schema name is wrong.");
        }

        if (version > StoreSchema.CurrentVersion)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The audit store in schema \"{_schema.Name}\" has schema version {version}, newer than version {StoreSchema.CurrentVersion} that this version of DataAccessAudit.PostgreSql reads. Use a newer DataAccessAudit.PostgreSql."));
        }
    }
}
