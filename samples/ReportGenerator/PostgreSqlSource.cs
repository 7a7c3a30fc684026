using DataAccessAudit.Log;
using DataAccessAudit.PostgreSql;
using DataAccessAudit.PostgreSql.Verification;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using Npgsql;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// <c>--postgres CONNECTION [--schema NAME]</c>: the shared PostgreSQL store as the input of <c>report</c> and
/// <c>verify</c>, through <see cref="PostgreSqlAuditStore"/> (the report is computed in SQL; every writing instance's
/// chain is verified on its own). The connection string is never printed: it may hold a password.
/// </summary>
internal static class PostgreSqlSource
{
    /// <summary>The report, in the store's snapshot, with the store's integrity.</summary>
    public static AccessReport Report(string connection, string schema, IReadOnlyDictionary<string, byte[]>? keys, AccessReportOptions options, ReportSource source) =>
        With(connection, schema, store => store.BuildReportAsync(options, keys, source).GetAwaiter().GetResult());

    /// <summary>
    /// <c>verify --postgres</c>: prints the verdict over all instances as one line (<c>verified: 3 instances, …</c>,
    /// the words of <c>verify --log</c>), then one line per instance with its head (last sequence number and chain
    /// value); exits as <c>verify --log</c> does. With <c>--since</c> the store must extend the heads kept in that
    /// file; with <c>--save-heads</c> the heads are written to a file to keep, when the store verified (exit 0).
    /// </summary>
    public static int Verify(string connection, string schema, string? keyFile, IReadOnlyDictionary<string, byte[]>? keys, bool requireKey, string? since, string? saveHeads, Terminal terminal)
    {
        var kept = since is null ? null : ReadHeads(since);
        var result = With(connection, schema, store => store.VerifyAsync(keys, kept).GetAwaiter().GetResult());
        terminal.Output.WriteLine(VisibleText.Escape(result.ToString()));
        foreach (var instance in result.Instances)
        {
            terminal.Output.WriteLine(VisibleText.Escape($"  {instance}"));
        }

        if (result.Verdict == LogVerdict.Unverified)
        {
            var ids = result.Instances.Where(i => i.Verdict == LogVerdict.Unverified).Select(i => i.KeyId).OfType<string>();
            terminal.Error.WriteLine(LogVerification.MissingKeys(keyFile, keys, ids, "The store is keyed", "the chains", "the store's rows were edited to name it"));
        }
        else if (result.Verdict == LogVerdict.VerifiedUnkeyed && requireKey)
        {
            terminal.Error.WriteLine("--require-key: an instance's chain is unkeyed, so anyone who can edit the tables can recompute it.");
        }

        if (terminal.IsInteractive)
        {
            terminal.Console.Write(Table(result));
        }

        var exitCode = LogVerification.ExitCode(result.Verdict, requireKey);
        if (saveHeads is not null)
        {
            SaveHeads(saveHeads, result, exitCode, terminal);
        }

        return exitCode;
    }

    // Heads are kept only from a store that verified: a later --since would otherwise require the store to extend a
    // state that was already broken, or one whose chain was never checked with its key.
    private static void SaveHeads(string path, PostgreSqlVerificationResult result, int exitCode, Terminal terminal)
    {
        if (exitCode != ExitCodes.Written)
        {
            terminal.Error.WriteLine(VisibleText.Escape($"--save-heads '{path}': not written, because the store did not verify; a file already there was left as it was."));
            return;
        }

        try
        {
            result.Heads.Save(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--save-heads '{path}': cannot write the heads: {exception.Message}", exception);
        }

        terminal.Output.WriteLine(VisibleText.Escape(
            $"heads saved to {path}: keep it where the database's users cannot change it, and check the store against it later with verify --postgres --since {path}."));
    }

    private static PostgreSqlStoreHeads ReadHeads(string path)
    {
        string text;
        try
        {
            text = SmallFile.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--since '{path}': cannot read the file: {exception.Message}", exception);
        }

        try
        {
            return PostgreSqlStoreHeads.Parse(text);
        }
        catch (FormatException exception)
        {
            // A signed checkpoint (a file log's) is the other kind of file --since takes: say which command it is for.
            var other = text.StartsWith('{') ? string.Empty : " (a signed checkpoint of a file log is checked with verify --log DIR --public-key KEY --since FILE)";
            throw new UsageException(
                $"--since '{path}': not the heads of a PostgreSQL store: {exception.Message.TrimEnd('.')}. Expected the access-store-heads/1 file that verify --postgres --save-heads wrote{other}.", exception);
        }
    }

    /// <summary>Checks the schema name before anything connects.</summary>
    public static void CheckSchema(string schema)
    {
        if (!PostgreSqlStoreOptionsValidator.IsValidSchema(schema))
        {
            throw new UsageException($"--schema '{VisibleText.Escape(schema)}': {PostgreSqlStoreOptionsValidator.SchemaRule} (default {PostgreSqlStoreOptions.DefaultSchema}).");
        }
    }

    private static T With<T>(string connection, string schema, Func<PostgreSqlAuditStore, T> action)
    {
        PostgreSqlAuditStore store;
        try
        {
            store = new PostgreSqlAuditStore(connection, schema);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"--postgres: not a valid Npgsql connection string (such as Host=db;Database=app;Username=audit): {DataAccessAudit.Interchange.GuardMessage.Of(exception)}", exception);
        }

        using (store)
        {
            try
            {
                return action(store);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                throw new UsageException($"--postgres: cannot read the audit store at {StoreAddress.Of(connection)}: {exception.Message}", exception);
            }
            catch (InvalidOperationException exception)
            {
                throw new UsageException($"--postgres: {exception.Message}", exception);
            }
        }
    }

    private static Table Table(PostgreSqlVerificationResult result)
    {
        var table = new Table().Title("[bold]Store verification[/]").AddColumn("Instance").AddColumn("Verdict").AddColumn("Records").AddColumn("Events").AddColumn("Last sequence").AddColumn("Dropped");
        foreach (var instance in result.Instances)
        {
            var colour = instance.Verdict switch { LogVerdict.Verified => "green", LogVerdict.Broken => "red", _ => "yellow" };
            table.AddRow(
                Markup.Escape(VisibleText.Escape(instance.InstanceId)),
                $"[{colour}]{Markup.Escape(instance.Break is { } found ? $"{found.KindName} at {found.Sequence}" : instance.Verdict.ToString())}[/]",
                Count(instance.Records),
                Count(instance.Events),
                Count(instance.LastSequence),
                Count(instance.DroppedEvents));
        }

        return table;
    }

    private static string Count(long value) => ReportFigures.Count(value);
}
