using DataAccessAudit.Log;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Checks <c>--out DIR</c> of <c>report</c> and <c>demo</c> before any input is read: that it is a directory, or one
/// that can be created. Otherwise the failure would come only at the end of the run, worded by the file system
/// ("already exists", "could not find a part of the path") rather than naming what is wrong.
/// </summary>
internal static class OutputDirectory
{
    public static void Check(string directory)
    {
        if (File.Exists(directory))
        {
            throw new UsageException($"--out '{directory}': is a file, not a directory; expected the directory to write into (created when missing).");
        }

        // The report's files are written under the directory's lock, which a log's writer holds for its whole life:
        // a report into a live log's directory would wait for the app to stop. A log directory is the log's alone.
        if (Directory.Exists(directory) && HoldsSegments(directory))
        {
            throw new UsageException($"--out '{directory}': holds an audit log's segments; expected a directory of the report's own.");
        }

        // The nearest part of the path that exists decides: a directory can be created under it, a file cannot.
        for (var parent = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
            {
                return;
            }

            if (File.Exists(parent))
            {
                throw new UsageException($"--out '{directory}': its parent '{parent}' is a file, not a directory, so the directory cannot be created.");
            }
        }
    }

    // Whether directory holds log segments; one that cannot be listed is left to fail when the report is written.
    private static bool HoldsSegments(string directory)
    {
        try
        {
            return FileLogDirectory.GetSegments(directory).Count > 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
