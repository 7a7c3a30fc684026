using Npgsql;

namespace DataAccessAudit.PostgreSql.Tests;

// The store's tables reached with plain SQL, as whoever may write to the database would tamper with them.
internal static class StoreTables
{
    public const string Records = "data_access_audit.records";
    public const string Instances = "data_access_audit.instances";

    // The stored lines at two sequence numbers of the instance first by id (the only one, in most tests).
    public static async Task<(string Previous, string Line)> ReadLinesAsync(string db, long previous, long seq)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"SELECT record::text FROM {Records} WHERE instance_id = (SELECT min(instance_id) FROM {Instances}) AND seq IN ($1, $2) ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = previous });
        command.Parameters.Add(new NpgsqlParameter { Value = seq });
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        var first = reader.GetString(0);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        return (first, reader.GetString(0));
    }

    public static async Task ExecuteAsync(string db, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
