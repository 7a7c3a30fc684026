using Npgsql;

namespace DataAccessAudit.PostgreSql;

// Where a connection string points, as messages name it when the server cannot be reached or refuses this app: host, port and database,
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

    // The role a connection string logs in as: its Username, else what Npgsql falls back to (PGUSER, then the
    // operating system's user), so that a refusal names the role the server actually refused.
    public static string UserOf(string connectionString)
    {
        try
        {
            if (new NpgsqlConnectionStringBuilder(connectionString).Username is { Length: > 0 } user)
            {
                return user;
            }
        }
        catch (ArgumentException)
        {
        }

        return Environment.GetEnvironmentVariable("PGUSER") is { Length: > 0 } pgUser ? pgUser : Environment.UserName;
    }
}
