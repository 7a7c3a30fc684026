using System.Text.RegularExpressions;
using DataAccessAudit.Log;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.PostgreSql;

// The rules attributes cannot state: identifiers, the key and its id, the connection string's syntax.
internal sealed partial class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    private const int MaxPort = 65535;

    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("PostgreSqlStoreOptions.ConnectionString is required (for example Host=db;Database=app;Username=audit).");
        }
        else
        {
            try
            {
                CheckConnectionString(options.ConnectionString);
            }
            catch (ArgumentException exception)
            {
                failures.Add($"PostgreSqlStoreOptions.ConnectionString is not a valid Npgsql connection string: {exception.Message}");
            }
        }

        if (!IsValidSchema(options.Schema))
        {
            failures.Add($"PostgreSqlStoreOptions.Schema '{options.Schema}' is not valid: {SchemaRule}.");
        }

        if (!IsValidInstanceId(options.InstanceId))
        {
            failures.Add($"PostgreSqlStoreOptions.InstanceId '{options.InstanceId}' is not valid: expected 1 to 128 characters from letters, digits, '-', '_', '.' and ':'.");
        }

        if (options.Key is not null || options.KeyId is not null)
        {
            if (options.KeyId is null || !FileLogKeyRing.IsValidKeyId(options.KeyId))
            {
                failures.Add($"PostgreSqlStoreOptions.KeyId '{options.KeyId}' is not valid: expected 1 to 64 characters from letters, digits, '-', '_' and '.', set together with Key.");
            }

            if (options.Key is null || FileLogKeyRing.TryDecodeKey(options.Key) is not { Length: >= FileLogOptions.MinKeyLength })
            {
                failures.Add($"PostgreSqlStoreOptions.Key is not valid: expected base64 of at least {FileLogOptions.MinKeyLength} random bytes, set together with KeyId.");
            }
        }

        if (options.SpillDirectory is { } spill && string.IsNullOrWhiteSpace(spill))
        {
            failures.Add("PostgreSqlStoreOptions.SpillDirectory is blank: set a directory path or leave it null.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The connection string's syntax, and its ports: Npgsql accepts a port above 65535 (Port=99999, or Host=db:99999)
    // and fails only when it connects, with an ArgumentOutOfRangeException from IPEndPoint that no caller expects
    // from opening a connection. Throws ArgumentException (paramName connectionString) for the first problem.
    internal static void CheckConnectionString(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Port > MaxPort)
        {
            throw new ArgumentException($"Port {builder.Port} is not a TCP port: expected 1 to {MaxPort}.", nameof(connectionString));
        }

        foreach (var host in (builder.Host ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // host:port, or [IPv6 address]:port; a bare IPv6 address holds colons but no port.
            var colon = host.LastIndexOf(':');
            var hasPort = host.StartsWith('[') ? colon > host.IndexOf(']', StringComparison.Ordinal) : colon > 0 && colon == host.IndexOf(':', StringComparison.Ordinal);
            if (hasPort && (!int.TryParse(host.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > MaxPort))
            {
                throw new ArgumentException($"Host '{host}' names port '{host[(colon + 1)..]}', which is not a TCP port: expected 1 to {MaxPort}.", nameof(connectionString));
            }
        }
    }

    // What a schema name must be, worded once for the options, the store's constructor and access-report --schema.
    internal const string SchemaRule =
        "expected lower-case letters, digits and '_', starting with a letter or '_', at most 63 characters, and not beginning with 'pg_', which PostgreSQL reserves for its own schemas";

    // PostgreSQL refuses to create a schema named pg_… (42939) and pg_catalog and pg_temp are its own: a store
    // there could never be written, so the name is refused before anything connects.
    internal static bool IsValidSchema(string? schema) =>
        schema is not null && SchemaPattern().IsMatch(schema) && !schema.StartsWith("pg_", StringComparison.Ordinal);

    internal static bool IsValidInstanceId(string? id) => id is not null && InstanceIdPattern().IsMatch(id);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceIdPattern();
}
