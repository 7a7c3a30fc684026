using DataAccessAudit.PostgreSql.Schema;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Writing;

// What the writer's statements need of the role it connects as, asked of PostgreSQL's privilege functions rather than
// found by a refused write: some of them fail only long after the app started (the first write of a month whose
// partition does not exist yet needs ownership of the records table, which the month's earlier writes do not).
//
// The statements, and what PostgreSQL checks for each:
// - CREATE SCHEMA, only while the store's schema does not exist: CREATE on the database;
// - CREATE TABLE IF NOT EXISTS, for the schema_version table at every start and each month's partition at its first
//   write: CREATE on the schema, checked before PostgreSQL looks for the table, so also when it exists;
// - CREATE TABLE ... PARTITION OF records: ownership of records (or the privileges of its owner's role);
// - SELECT version FROM schema_version: SELECT on it;
// - INSERT INTO instances ... ON CONFLICT DO NOTHING, SELECT of the head, SELECT ... FOR UPDATE and UPDATE of the
//   head: SELECT, INSERT and UPDATE on instances;
// - COPY into records: INSERT on records (PostgreSQL routes rows into partitions without checking them);
// - with a chain key, the head record's link read back (HeadKeyCheck): SELECT on records;
// - every name in the schema: USAGE on it.
// Tables the store does not have yet are created by this role, which then owns them: only the right to create them is
// needed. The store uses no sequences, and the advisory lock functions are everyone's by default.
internal static class WriterPrivileges
{
    // The privileges the writer needs on each of the store's tables: table, privilege, what for.
    private static readonly (string Table, string Privilege, string NeededFor)[] TablePrivileges =
    [
        ("schema_version", "SELECT", "to read the store's schema version at start"),
        ("instances", "SELECT", "to read the instance's head"),
        ("instances", "INSERT", "to register the instance at its first start"),
        ("instances", "UPDATE", "to lock and move the instance's head with each batch"),
        ("records", "INSERT", "to write the records"),
    ];

    // With a chain key, the writer reads the head record back to check that the key reproduces it.
    private static readonly (string Table, string Privilege, string NeededFor) KeyedPrivilege =
        ("records", "SELECT", "to check at start that the chain key reproduces the instance's last record");

    // The role the connection is logged in as, and every privilege it lacks (empty when it has them all) to write as
    // options say: with a chain key (KeyId and Key, as the writer keys its chain), also SELECT on the records.
    public static async Task<(string Role, IReadOnlyList<MissingPrivilege> Missing)> CheckAsync(
        NpgsqlConnection connection, StoreSchema schema, PostgreSqlStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        var keyed = options.KeyId is not null && options.Key is not null;
        var missing = new List<MissingPrivilege>();
        string role;
        string database;
        uint? schemaOid;
        await using (var command = new NpgsqlCommand("""
            SELECT current_user::text, current_database()::text, n.oid,
                   has_database_privilege(current_database(), 'CREATE'),
                   has_schema_privilege(n.oid, 'USAGE'), has_schema_privilege(n.oid, 'CREATE')
            FROM (SELECT) AS one LEFT JOIN pg_namespace n ON n.nspname = $1
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema.Name });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            role = reader.GetString(0);
            database = reader.GetString(1);
            schemaOid = reader.IsDBNull(2) ? null : reader.GetFieldValue<uint>(2);
            var schemaName = Quote(schema.Name);
            if (schemaOid is null)
            {
                if (!reader.GetBoolean(3))
                {
                    missing.Add(new("CREATE", $"database {Quote(database)}", $"to create the store's schema {schemaName}, which does not exist yet",
                        $"GRANT CREATE ON DATABASE {Quote(database)} TO {Quote(role)}"));
                }

                return (role, missing);
            }

            if (!reader.GetBoolean(4))
            {
                missing.Add(new("USAGE", $"schema {schemaName}", "to reach the store's tables",
                    $"GRANT USAGE ON SCHEMA {schemaName} TO {Quote(role)}"));
            }

            if (!reader.GetBoolean(5))
            {
                missing.Add(new("CREATE", $"schema {schemaName}", "to create the store's tables and, at the first write of each month, its partition of the records",
                    $"GRANT CREATE ON SCHEMA {schemaName} TO {Quote(role)}"));
            }
        }

        (string Table, string Privilege, string NeededFor)[] needed = keyed ? [.. TablePrivileges, KeyedPrivilege] : TablePrivileges;
        await using (var command = new NpgsqlCommand("""
            SELECT p.ord::int, has_table_privilege(c.oid, p.privilege)
            FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS p(relname, privilege, ord)
            JOIN pg_class c ON c.relname = p.relname AND c.relnamespace = $1
            ORDER BY p.ord
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schemaOid.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            command.Parameters.Add(new NpgsqlParameter { Value = needed.Select(n => n.Table).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = needed.Select(n => n.Privilege).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!reader.GetBoolean(1))
                {
                    var (table, privilege, neededFor) = needed[reader.GetInt32(0) - 1];
                    var name = $"{Quote(schema.Name)}.{Quote(table)}";
                    missing.Add(new(privilege, $"table {name}", neededFor, $"GRANT {privilege} ON {name} TO {Quote(role)}"));
                }
            }
        }

        await using (var command = new NpgsqlCommand("""
            SELECT pg_get_userbyid(c.relowner)::text, pg_has_role(c.relowner, 'USAGE')
            FROM pg_class c WHERE c.relnamespace = $1 AND c.relname = 'records'
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schemaOid.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.GetBoolean(1))
            {
                var table = $"{Quote(schema.Name)}.{Quote("records")}";
                var owner = reader.GetString(0);
                missing.Add(new("ownership", $"table {table} (owned by {Quote(owner)})",
                    "to create its partition at the first write of each month, which PostgreSQL allows only its owner; the month's writes go on until then",
                    $"ALTER TABLE {table} OWNER TO {Quote(role)}, or GRANT {Quote(owner)} TO {Quote(role)}"));
            }
        }

        return (role, missing);
    }

    // One message for every missing privilege, naming the role, the server, and what grants each.
    public static string Describe(string connectionString, string role, IReadOnlyList<MissingPrivilege> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var lines = string.Join(string.Empty, missing.Select(m => $"{Environment.NewLine}- {m};"));
        return $"the audit store in PostgreSQL at {StoreAddress.Of(connectionString)} does not give role {Quote(role)} every privilege the writer needs, so its writes would be refused:{lines}{Environment.NewLine}Grant them (as the owner of the store's objects or a superuser), or connect as a role that has them";
    }

    // An identifier as SQL writes it: the statements above can be pasted as they are.
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
