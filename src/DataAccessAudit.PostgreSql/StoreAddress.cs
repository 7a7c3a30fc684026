using Npgsql;

namespace DataAccessAudit.PostgreSql;

// Where a connection string points, as messages name it when the server cannot be reached: host, port and database,
// never the password or any other setting. Npgsql's own message ("Name or service not known", "Connection refused")
// does not say which server it tried.
internal static class StoreAddress
{
    public static string Of(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}";
        }
        catch (ArgumentException)
        {
            return "the server of the connection string";
        }
    }
}
