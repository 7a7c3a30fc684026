namespace DataAccessAudit.Log;

/// <summary>
/// The files of a file log directory, as <c>docs/log-format.md</c> names them: what a tool that lists, copies, sizes
/// or cleans up a log needs, without repeating the naming rules.
/// </summary>
public static class FileLogDirectory
{
    /// <summary>
    /// The wildcard pattern every segment's name matches: <c>segment-*.jsonl</c>. A segment's name is exactly
    /// <c>segment-</c>, ten digits and <c>.jsonl</c>; <see cref="GetSegments"/> applies that rule.
    /// </summary>
    public const string SegmentSearchPattern = LogFormat.SegmentPrefix + "*" + LogFormat.SegmentExtension;

    /// <summary>Lists the segments of a log, in segment order (by number, not by text).</summary>
    /// <param name="directory">The log directory.</param>
    /// <returns>The segment files' paths; empty when the directory holds none or does not exist.</returns>
    /// <remarks>Any other file, such as <c>segment-1.jsonl</c> or a copy named <c>segment-0000000001 (2).jsonl</c>, is not a segment.</remarks>
    /// <exception cref="IOException">An entry named as a segment is not a regular file (a FIFO, a device or a directory).</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be listed.</exception>
    public static IReadOnlyList<string> GetSegments(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Directory.Exists(directory) ? [.. LogFormat.ListSegments(directory).Select(segment => segment.Path)] : [];
    }

    /// <summary>
    /// Lists the torn tails that opening the log set aside after a crash (<c>segment-NNNNNNNNNN.jsonl.torn-STAMP</c>):
    /// bytes a writer had not finished, kept for inspection and never read as records.
    /// </summary>
    /// <param name="directory">The log directory.</param>
    /// <returns>The files' paths, in name order; empty when there are none or the directory does not exist.</returns>
    public static IReadOnlyList<string> GetTornFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, SegmentSearchPattern + LogFormat.TornInfix + "*").Where(IsTornFile).Order(StringComparer.Ordinal)]
            : [];
    }

    private static bool IsTornFile(string path)
    {
        var name = Path.GetFileName(path);
        var infix = name.IndexOf(LogFormat.TornInfix, StringComparison.Ordinal);
        return infix > 0 && LogFormat.TryParseSegmentFileName(name[..infix], out _);
    }
}
