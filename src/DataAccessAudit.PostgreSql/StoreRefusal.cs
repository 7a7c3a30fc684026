using Npgsql;

namespace DataAccessAudit.PostgreSql;

// A database that answers but refuses this app: its credentials (SQLSTATE class 28: a wrong password, a role that
// may not log in, no pg_hba.conf entry), its database (3D000: it does not exist) or a privilege the writer needs
// (42501: CREATE on the database, INSERT on the records). Unlike an outage, waiting alone never fixes these: an
// operator does, by correcting the connection string or the database. So they are named as what they are, with the
// role and the server refused, rather than as a server that "cannot be reached".
internal static class StoreRefusal
{
    // The server's refusal inside an exception (the exception itself or one it wraps); null when it holds none.
    public static PostgresException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres && IsRefusal(postgres.SqlState))
            {
                return postgres;
            }
        }

        return null;
    }

    public static bool IsRefusal(string sqlState) =>
        sqlState.StartsWith("28", StringComparison.Ordinal) ||
        sqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.InsufficientPrivilege;

    // What the server refused, whom, where and why (its SQLSTATE and message, never the password), and what fixes it.
    public static string Describe(string connectionString, PostgresException refusal)
    {
        var address = StoreAddress.Of(connectionString);
        var user = StoreAddress.UserOf(connectionString);
        var reason = $"{refusal.SqlState}: {refusal.MessageText.TrimEnd('.')}";
        return refusal.SqlState switch
        {
            PostgresErrorCodes.InvalidCatalogName =>
                $"the PostgreSQL server at {address} has no such database ({reason}): create it, or correct the database of PostgreSqlStoreOptions.ConnectionString",
            PostgresErrorCodes.InsufficientPrivilege =>
                $"the audit store in PostgreSQL at {address} refused user '{user}' a privilege the writer needs ({reason}): grant it to '{user}' (CONNECT on the database, CREATE on it while the store's schema does not exist, USAGE and CREATE on the schema, SELECT, INSERT and UPDATE on its tables, ownership of its records table), or connect as a role that has it",
            _ =>
                $"the audit store in PostgreSQL at {address} refused the credentials of user '{user}' ({reason}): correct the password or user in PostgreSqlStoreOptions.ConnectionString, or the role or pg_hba.conf entry in the database",
        };
    }
}
