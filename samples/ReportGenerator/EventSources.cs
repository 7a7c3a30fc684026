using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Sources;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Turns <c>--events FILE...</c> and <c>--log DIR</c> into events counted by a report builder, and says how far the
/// input can be trusted. The report engine never knows which it was.
/// </summary>
internal static class EventSources
{
    /// <summary>The files of the log that <see cref="ReadLog"/> reads for now.</summary>
    public const string LogFilePattern = "*.jsonl";

    /// <summary>Reads plain <c>access-event/1</c> files: they carry no chain, so the integrity is unverified.</summary>
    public static ReportIntegrity ReadEvents(IReadOnlyList<string> files, AccessReportBuilder builder, IProgress<long>? progress)
    {
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new UsageException(Directory.Exists(file)
                    ? $"--events '{file}': is a directory; expected access-event/1 files (use --log for a log directory)."
                    : $"--events '{file}': file not found.");
            }
        }

        Read(files, builder, progress);
        return ReportIntegrity.Unverified;
    }

    /// <summary>
    /// Reads the durable log in <paramref name="directory"/>. SEAM: until the durable log lands, this reads
    /// <c>DIR/*.jsonl</c> (in name order) as plain <c>access-event/1</c> lines, which the log's lines are (plus chain
    /// fields that the reader ignores), and reports <see cref="ReportIntegrity.Unverified"/>. When merging, replace the
    /// body with the log reader (yielding <c>AccessRecord</c>s into <c>builder.Add</c> and bad lines into
    /// <c>builder.AddProblem</c>) and the verifier's result (<see cref="ReportIntegrity.Verified"/> or
    /// <see cref="ReportIntegrity.Broken"/> with its problems).
    /// </summary>
    public static ReportIntegrity ReadLog(string directory, AccessReportBuilder builder, IProgress<long>? progress)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException(File.Exists(directory)
                ? $"--log '{directory}': is a file; expected the log's directory (use --events for access-event/1 files)."
                : $"--log '{directory}': directory not found.");
        }

        var files = Directory.GetFiles(directory, LogFilePattern).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new UsageException($"--log '{directory}': no log files ({LogFilePattern}) in the directory.");
        }

        Read(files, builder, progress);
        return ReportIntegrity.Unverified;
    }

    /// <summary>The total size of files, for a progress bar.</summary>
    public static long SizeOf(IEnumerable<string> files) => files.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    public static IReadOnlyList<string> LogFiles(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, LogFilePattern) : [];

    private static void Read(IReadOnlyList<string> files, AccessReportBuilder builder, IProgress<long>? progress)
    {
        try
        {
            JsonLinesReportReader.Read(files, builder, progress);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the input: {exception.Message}", exception);
        }
    }
}
