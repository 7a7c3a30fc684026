using DataAccessAudit.Log;
using DataAccessAudit.PostgreSql;
using Npgsql;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// Where the demo records to with <c>--postgres</c>: the PostgreSQL store in the demo's own schema
/// (<see cref="DemoCommand.PostgresSchema"/>), chained with the same fresh demo key as the file log would be.
/// </summary>
internal static class DemoDatabase
{
    /// <summary>
    /// Drops the demo's schema left by an earlier run, so that the store holds this run's story only; fails with a
    /// usage error, before anything is recorded, when the database cannot be reached.
    /// </summary>
    public static void Reset(string connection, string schema)
    {
        try
        {
            // The store's own rules for the connection string first: Npgsql would take a port above 65535 and fail
            // only when it connects, with no word of which value was wrong.
            PostgreSqlStoreOptionsValidator.CheckConnectionString(connection);
            using var dataSource = NpgsqlDataSource.Create(connection);
            using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            command.ExecuteNonQuery();
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"--postgres: not a valid Npgsql connection string (such as Host=db;Database=app;Username=audit): {DataAccessAudit.Interchange.GuardMessage.Of(exception)}", exception);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new UsageException($"--postgres: cannot prepare the demo's schema {schema}: {exception.Message}", exception);
        }
    }

    /// <summary>Configures the store as the demo records into it.</summary>
    public static void Configure(PostgreSqlStoreOptions options, string connection, FileLogKeyRing keys)
    {
        options.ConnectionString = connection;
        options.Schema = DemoCommand.PostgresSchema;
        options.InstanceId = DemoCommand.PostgresInstanceId;
        options.KeyId = keys.CurrentKeyId;
        options.Key = Convert.ToBase64String(keys.Keys[keys.CurrentKeyId]);
    }

    /// <summary>The connection string without its password, to print.</summary>
    public static string WithoutPassword(string connection)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection);
        builder.Remove("Password");
        return builder.ConnectionString;
    }
}
