using System.Text;
using DataAccessAudit.Log;

namespace DataAccessAudit.Reporting.Formats;

/// <summary>
/// Writes a report into a directory under the standard names: <c>report.html</c>, <c>report.md</c>,
/// <c>report.json</c> and one CSV file per table (<see cref="AccessReportCsvWriter.FileNameOf"/>).
/// </summary>
public static class AccessReportFiles
{
    /// <summary>The name of the HTML page.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The name of the Markdown file.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>The name of the JSON file.</summary>
    public const string JsonFileName = "report.json";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Parses a comma-separated list of format names: <c>html</c>, <c>md</c> (or <c>markdown</c>), <c>csv</c>, <c>json</c>.</summary>
    /// <param name="text">The list, such as <c>html,json</c>.</param>
    /// <param name="formats">The formats.</param>
    /// <param name="error">Which name is not a format; null on success.</param>
    /// <returns>True when every name is a format and there is at least one.</returns>
    public static bool TryParseFormats(string text, out ReportFormats formats, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        formats = ReportFormats.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToUpperInvariant())
            {
                case "HTML": formats |= ReportFormats.Html; break;
                case "MD":
                case "MARKDOWN": formats |= ReportFormats.Markdown; break;
                case "CSV": formats |= ReportFormats.Csv; break;
                case "JSON": formats |= ReportFormats.Json; break;
                default:
                    error = $"'{part}' is not a report format: expected html, md, csv or json (comma-separated)";
                    return false;
            }
        }

        if (formats == ReportFormats.None)
        {
            error = "no report format given: expected html, md, csv or json (comma-separated)";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Writes the report in the given formats into a directory, creating it if needed.</summary>
    /// <param name="report">The report.</param>
    /// <param name="directory">The directory.</param>
    /// <param name="formats">The formats.</param>
    /// <returns>The paths of the files written, in a stable order.</returns>
    /// <remarks>
    /// The files are replaced together or not at all: each is written to a temporary file in the directory and flushed
    /// to disk, and only when every one was written are they renamed over the earlier files. A run that fails (a full
    /// disk) leaves the earlier report as it was, never a truncated <c>report.json</c>. One process writes into a
    /// directory at a time (on Linux, macOS and FreeBSD, an exclusive <c>flock</c> on the directory, which the operating
    /// system releases however the process ends): a second waits until the first has renamed all its files, then
    /// replaces them with its own, so that the directory holds one report's complete set, never a mix of two.
    /// </remarks>
    /// <exception cref="IOException">A file cannot be written; the files of an earlier report are unchanged.</exception>
    public static IReadOnlyList<string> Write(AccessReport report, string directory, ReportFormats formats = ReportFormats.All) =>
        Write(report, directory, formats, DirectorySync.Flush);

    // syncDirectory makes a directory's entries durable (the report directory's in its parent when it is created, the
    // files' in it); tests observe it.
    internal static IReadOnlyList<string> Write(AccessReport report, string directory, ReportFormats formats, Action<string> syncDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        DirectorySync.Create(directory, syncDirectory);
        var files = new List<(string Path, Action<Stream> Write)>();
        if (formats.HasFlag(ReportFormats.Json))
        {
            files.Add((Path.Combine(directory, JsonFileName), stream => AccessReportJsonWriter.Write(stream, report)));
        }

        if (formats.HasFlag(ReportFormats.Html))
        {
            files.Add((Path.Combine(directory, HtmlFileName), Text(writer => AccessReportHtmlWriter.Write(writer, report))));
        }

        if (formats.HasFlag(ReportFormats.Markdown))
        {
            files.Add((Path.Combine(directory, MarkdownFileName), Text(writer => AccessReportMarkdownWriter.Write(writer, report))));
        }

        if (formats.HasFlag(ReportFormats.Csv))
        {
            foreach (var table in AccessReportCsvWriter.Tables)
            {
                // The list of accesses needing action can run to millions of rows: it goes to the file as bytes.
                files.Add((Path.Combine(directory, AccessReportCsvWriter.FileNameOf(table)), table == ReportTable.NeedingAction
                    ? stream => NeedingActionCsvRows.Write(stream, report)
                    : Text(writer => AccessReportCsvWriter.Write(writer, report, table))));
            }
        }

        // Waited for rather than refused: two runs into one directory (a scheduled run beside one by hand) both mean
        // to leave a report there, and the lock is held only while the files are written, not while a report is made.
        using (DirectoryLock.AcquireWaiting(directory))
        {
            AtomicFile.WriteAll(files, ownerOnly: false, syncDirectory);
        }

        return files.ConvertAll(file => file.Path);
    }

    private static Action<Stream> Text(Action<TextWriter> write) => stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, leaveOpen: true);
        writer.NewLine = "\n";
        write(writer);
    };
}
