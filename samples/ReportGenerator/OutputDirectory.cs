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
}
