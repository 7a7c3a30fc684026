using DataAccessAudit.Log;
using DataAccessAudit.Reporting.Formats;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// <c>verify</c>: checks a log's chain with <see cref="FileLogVerifier"/> and prints its verdict as one line starting
/// with what was checked (<c>verified: …</c>, <c>verified-unkeyed: …</c>, <c>unverified: …</c> or <c>broken:
/// segment:line: kind at sequence N: …</c>, the same words as docs/verify_log.py), so scripts can keep it; on a
/// terminal, a table of the figures follows.
/// </summary>
internal static class LogVerification
{
    public static int Run(string directory, string? keyFile, IReadOnlyDictionary<string, byte[]>? keys, bool requireKey, Terminal terminal)
    {
        LogVerificationResult result;
        try
        {
            result = FileLogVerifier.Verify(directory, keys);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new UsageException($"--log '{directory}': cannot read the log: {exception.Message}", exception);
        }

        terminal.Output.WriteLine(VisibleText.Escape(result.ToString()));
        if (result.UncheckedKeyIds.Count > 0)
        {
            terminal.Error.WriteLine(MissingKeys(keyFile, keys, result.UncheckedKeyIds, "The log is keyed", "the chain", "a segment header was edited to name it"));
        }
        else if (result.Verdict == LogVerdict.VerifiedUnkeyed && requireKey)
        {
            terminal.Error.WriteLine("--require-key: the log's chain is unkeyed, so anyone who can edit its files can recompute it.");
        }

        if (terminal.IsInteractive)
        {
            terminal.Console.Write(Table(result));
        }

        return ExitCode(result.Verdict, requireKey);
    }

    /// <summary>
    /// What to do when a keyed chain could not be checked for want of a key, whichever store was verified: without
    /// --key-file, give it; with one, it names the ids the file lacks, so that nobody is told to give the option they
    /// just gave, and says what an id no key was ever made for means.
    /// </summary>
    public static string MissingKeys(string? keyFile, IReadOnlyDictionary<string, byte[]>? keys, IEnumerable<string> keyIds, string keyed, string chains, string edited)
    {
        if (keyFile is null || keys is null)
        {
            return $"{keyed}: give its key file with --key-file to check {chains}.";
        }

        var ids = keyIds.Distinct(StringComparer.Ordinal).ToList();
        var missing = string.Join(", ", ids.Select(id => $"\"{id}\""));
        var held = string.Join(", ", keys.Keys.Select(id => $"\"{id}\""));
        var (what, which) = ids.Count == 1 ? ("key with id", "that id") : ("keys with ids", "those ids");
        // The ids come from the store's own files, which whoever can edit them chose: shown escaped, never obeyed.
        return VisibleText.Escape(
            $"--key-file '{keyFile}': holds no {what} {missing} (it holds {held}), so {chains} could not be checked. " +
            $"Give the key file that holds {which}; if no key with {which} was ever made, {edited}.");
    }

    /// <summary>The exit code of <c>verify</c> for a verdict, whichever store was verified.</summary>
    public static int ExitCode(LogVerdict verdict, bool requireKey) => verdict switch
    {
        LogVerdict.Verified => ExitCodes.Written,
        LogVerdict.VerifiedUnkeyed => requireKey ? ExitCodes.NotVerified : ExitCodes.Written,
        LogVerdict.Unverified => ExitCodes.NotVerified,
        _ => ExitCodes.ProblemsFound,
    };

    private static Table Table(LogVerificationResult result)
    {
        var table = new Table().Title("[bold]Log verification[/]").AddColumn("Figure").AddColumn("Value");
        var colour = result.Verdict switch { LogVerdict.Verified => "green", LogVerdict.Broken => "red", _ => "yellow" };
        table.AddRow("Status", $"[{colour} bold]{result.VerdictName}[/]");
        if (result.Verdict == LogVerdict.VerifiedUnkeyed)
        {
            table.AddRow("Caveat", Markup.Escape(LogVerificationResult.UnkeyedCaveat));
        }
        table.AddRow("Segments", Count(result.Segments));
        table.AddRow(result.Break is null ? "Records" : "Records verified before the break", Count(result.Records));
        table.AddRow("Events", Count(result.Events));
        table.AddRow("Sequence", Markup.Escape($"{Count(result.FirstSequence)}..{Count(result.LastSequence)}"));
        table.AddRow("Dropped by the recorder", Count(result.DroppedEvents));
        table.AddRow("Removed by retention", result.RemovedUpToSequence > 0 ? Markup.Escape($"1..{Count(result.RemovedUpToSequence)}") : "none");
        table.AddRow("Last chain", Markup.Escape(result.LastChain));
        if (result.Break is { } found)
        {
            table.AddRow("Break", Markup.Escape($"{found.KindName} at sequence {found.Sequence}"));
            table.AddRow("Where", Markup.Escape(VisibleText.Escape($"{found.Segment}:{found.Line}")));
            table.AddRow("What", Markup.Escape(VisibleText.Escape(found.Message)));
        }

        return table;
    }

    private static string Count(long value) => ReportFigures.Count(value);
}
