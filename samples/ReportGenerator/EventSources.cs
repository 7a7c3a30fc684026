using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Sources;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Turns <c>--events FILE...</c> and <c>--log DIR</c> into events counted by a report builder, and says how far the
/// input can be trusted. The report engine never knows which it was.
/// </summary>
internal static class EventSources
{
    /// <summary>The segment files of a durable log (docs/log-format.md); any other file in the directory is ignored.</summary>
    public const string LogFilePattern = "segment-*.jsonl";

    // How often reading the log reports progress, in events.
    private const int ProgressEvery = 8192;

    // The problems the log reader reports that are about the log as a record (its chain and its own losses), not
    // about a line that is not an event: the first break, gap records and recovery records (FileLogReader's words).
    private static readonly string[] IntegrityPrefixes = ["log integrity broken (", "gap: ", "recovery: "];

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

        try
        {
            JsonLinesReportReader.Read(files, builder, progress);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the input: {exception.Message}", exception);
        }

        return ReportIntegrity.Unverified;
    }

    /// <summary>
    /// Reads the durable log in <paramref name="directory"/> through <see cref="FileLogReader"/>, which verifies the
    /// chain while it yields the events, and turns its verdict into the report's integrity: verified when intact,
    /// broken with the first break, unverified when the log is keyed and the key was not given. Gap, recovery and
    /// removal records become integrity problems even when the chain is intact, so every report shows what the log
    /// itself says it lost. Lines that are not events stay input problems.
    /// </summary>
    /// <remarks>
    /// One sequential pass: the chain has to be checked line after line anyway, and reading the events in the same
    /// pass reads each byte once (docs/reports.md has the figures against the parallel plain-JSONL reader).
    /// </remarks>
    public static ReportIntegrity ReadLog(string directory, IReadOnlyDictionary<string, byte[]>? keys, AccessReportBuilder builder, IProgress<long>? progress)
    {
        var segments = CheckLogDirectory(directory);
        var bytesPerLine = progress is null ? 0 : EstimateBytesPerLine(segments[0]);
        var total = progress is null ? 0 : SizeOf(segments);
        var reader = new FileLogReader(directory, keys);
        var integrityProblems = new List<InputProblem>();
        try
        {
            long events = 0;
            foreach (var record in reader.Read(problem =>
            {
                if (IsIntegrityProblem(problem))
                {
                    integrityProblems.Add(problem);
                }
                else
                {
                    builder.AddProblem(problem);
                }
            }))
            {
                builder.Add(record);
                if (progress is not null && ++events % ProgressEvery == 0)
                {
                    progress.Report(Math.Min(total, events * bytesPerLine));
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--log '{directory}': cannot read the log: {exception.Message}", exception);
        }

        return IntegrityOf(reader.Verification!, directory, integrityProblems);
    }

    /// <summary>
    /// Checks that <paramref name="directory"/> is a log directory with at least one segment.
    /// </summary>
    /// <returns>The segment files, in name order.</returns>
    public static IReadOnlyList<string> CheckLogDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException(File.Exists(directory)
                ? $"--log '{directory}': is a file; expected the log's directory (use --events for access-event/1 files)."
                : $"--log '{directory}': directory not found.");
        }

        var segments = LogFiles(directory);
        return segments.Count > 0
            ? segments
            : throw new UsageException($"--log '{directory}': no log segments ({LogFilePattern}) in the directory.");
    }

    /// <summary>Reads <c>--key-file</c>: null when not given; a bad or unreadable file is a usage error naming it.</summary>
    public static IReadOnlyDictionary<string, byte[]>? ReadKeys(string? keyFile)
    {
        if (keyFile is null)
        {
            return null;
        }

        try
        {
            return FileLogKeys.ReadKeyFile(keyFile);
        }
        catch (FormatException exception)
        {
            throw new UsageException($"--key-file: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--key-file '{keyFile}': cannot read the key file: {exception.Message}", exception);
        }
    }

    /// <summary>The total size of files, for a progress bar.</summary>
    public static long SizeOf(IEnumerable<string> files) => files.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    /// <summary>The segment files of a log directory in name order (which is segment order: the numbers have ten digits).</summary>
    public static IReadOnlyList<string> LogFiles(string directory) =>
        Directory.Exists(directory) ? [.. Directory.GetFiles(directory, LogFilePattern).Order(StringComparer.Ordinal)] : [];

    private static ReportIntegrity IntegrityOf(LogVerificationResult verification, string directory, List<InputProblem> problems)
    {
        if (verification.RemovedUpToSequence > 0)
        {
            problems.Add(new InputProblem(
                directory,
                0,
                $"removal: retention removed records 1 to {verification.RemovedUpToSequence} (the oldest segments); the report covers the records that remain"));
        }

        if (verification.Break is { Kind: LogBreakKind.MissingKey } missing)
        {
            // Not broken: nothing is known to be wrong, the chain just could not be checked.
            problems.RemoveAll(p => p.Message.StartsWith(IntegrityPrefixes[0], StringComparison.Ordinal));
            problems.Insert(0, new InputProblem(missing.Segment, missing.Line, $"not verified: {missing.Message}; give its key with --key-file"));
            return ReportIntegrity.Unverified.WithProblems(problems);
        }

        return verification.IsIntact ? ReportIntegrity.Verified.WithProblems(problems) : ReportIntegrity.Broken(problems);
    }

    private static bool IsIntegrityProblem(InputProblem problem) =>
        IntegrityPrefixes.Any(prefix => problem.Message.StartsWith(prefix, StringComparison.Ordinal));

    // The progress of a log read is counted in events; the first 64 KiB of the first segment tell how many bytes an
    // event line takes, which turns the count into bytes of the bar's total.
    private static long EstimateBytesPerLine(string segment)
    {
        try
        {
            using var stream = File.OpenRead(segment);
            var buffer = new byte[64 * 1024];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var lines = buffer.AsSpan(0, read).Count((byte)'\n');
            return lines == 0 ? Math.Max(1, read) : Math.Max(1, read / lines);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--log: cannot read '{segment}': {exception.Message}", exception);
        }
    }
}
