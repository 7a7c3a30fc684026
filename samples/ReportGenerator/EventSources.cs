using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Turns <c>--events FILE...</c> and <c>--log DIR</c> into events counted by a report builder, and says how far the
/// input can be trusted. The report engine never knows which it was.
/// </summary>
internal static class EventSources
{
    /// <summary>What <c>--events</c> takes for standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>How input problems name standard input.</summary>
    public const string StandardInputSource = "stdin";

    /// <summary>
    /// Checks the <c>--events</c> values: <c>-</c> (standard input) alone, and each file once (a value that looks like
    /// an option was refused while parsing, <see cref="OptionLikeValues"/>). A file given twice (by the same path,
    /// another spelling of it, or a link to it) is read once, with a warning.
    /// </summary>
    /// <returns>The files to read, in the order given, each once.</returns>
    public static IReadOnlyList<string> CheckEventFiles(IReadOnlyList<string> files, TextWriter warnings)
    {
        if (files.Contains(StandardInput) && files.Count > 1)
        {
            throw new UsageException("--events -: standard input is read alone; give either '-' or files.");
        }

        // By the file, not by its name: a symbolic or hard link to a file already given would count its events twice.
        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        var distinct = new List<string>(files.Count);
        foreach (var file in files)
        {
            if (file == StandardInput || seen.Add(FileIdentity.Of(file)))
            {
                distinct.Add(file);
            }
            else
            {
                warnings.WriteLine($"warning: --events '{VisibleText.Escape(file)}' is given more than once; it is read once.");
            }
        }

        return distinct;
    }

    /// <summary>
    /// Reads plain <c>access-event/1</c> files. They carry no chain, so the report's integrity is unverified; the
    /// report's source describes each input by the bytes counted.
    /// </summary>
    /// <returns>Each input as read: the files, or standard input.</returns>
    public static IReadOnlyList<ReportSourceFile> ReadEvents(IReadOnlyList<string> files, Func<Stream> openInput, AccessReportBuilder builder, IProgress<long>? progress)
    {
        if (files is [StandardInput])
        {
            try
            {
                using var input = openInput();
                return [JsonLinesReportReader.ReadStream(input, StandardInputSource, builder, progress)];
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read standard input: {exception.Message}", exception);
            }
        }

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
            return JsonLinesReportReader.Read(files, builder, progress);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the input: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Reads the durable log in <paramref name="directory"/> with <see cref="FileLogReportReader"/>, which verifies the
    /// chain in the same pass and states the report's integrity.
    /// </summary>
    public static ReportIntegrity ReadLog(string directory, IReadOnlyDictionary<string, byte[]>? keys, AccessReportBuilder builder, IProgress<long>? progress)
    {
        var segments = CheckLogDirectory(directory);
        var bytesPerLine = progress is null ? 0 : EstimateBytesPerLine(segments[0]);
        var total = progress is null ? 0 : SizeOf(segments);
        var events = progress is null ? null : new Progress<long>(count => progress.Report(Math.Min(total, count * bytesPerLine)));
        try
        {
            return FileLogReportReader.Read(directory, keys, builder, events);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new UsageException($"--log '{directory}': cannot read the log: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Checks that <paramref name="directory"/> is a log directory with at least one segment.
    /// </summary>
    /// <returns>The segment files, in segment order.</returns>
    public static IReadOnlyList<string> CheckLogDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException(File.Exists(directory)
                ? $"--log '{directory}': is a file; expected the log's directory (use --events for access-event/1 files)."
                : $"--log '{directory}': directory not found.");
        }

        IReadOnlyList<string> segments;
        try
        {
            segments = LogFiles(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--log '{directory}': cannot read the log: {exception.Message}", exception);
        }

        return segments.Count > 0
            ? segments
            : throw new UsageException($"--log '{directory}': no log segments ({FileLogDirectory.SegmentSearchPattern}) in the directory.");
    }

    /// <summary>
    /// Reads <c>--key-file</c>: null when not given; a bad or unreadable file is a usage error naming it, and a file
    /// others can read is a warning.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]>? ReadKeys(string? keyFile, TextWriter warnings)
    {
        if (keyFile is null)
        {
            return null;
        }

        if (Directory.Exists(keyFile))
        {
            throw new UsageException($"--key-file '{keyFile}': is a directory; expected a key file (one 'id:base64' key a line).");
        }

        try
        {
            var keys = FileLogKeyRing.Read(keyFile).Keys;
            if (KeyFileExposure.Warning(keyFile, KeyFileExposure.ChainKey) is { } warning)
            {
                warnings.WriteLine($"warning: --key-file: {warning}");
            }

            return keys;
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

    /// <summary>The segment files of a log directory, in segment order.</summary>
    public static IReadOnlyList<string> LogFiles(string directory) => FileLogDirectory.GetSegments(directory);

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
