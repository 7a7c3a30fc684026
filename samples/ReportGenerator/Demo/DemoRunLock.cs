namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// Holds an output directory for one demo run from start to end. The log's own writer lock is released once the
/// accesses are recorded, but the run then reads the log back for its reports: a second run on the same <c>--out</c>
/// starting then would take the writer lock and delete the log being read. The lock is the operating system's
/// (<see cref="FileShare.None"/>, an exclusive <c>flock</c> on Unix), so it is released even when the run is killed.
/// </summary>
internal sealed class DemoRunLock : IDisposable
{
    /// <summary>The file held, left in place after the run: deleting it could let two runs each hold a different file.</summary>
    public const string FileName = "access-report-demo.lock";

    private readonly FileStream _file;

    private DemoRunLock(FileStream file) => _file = file;

    /// <summary>Creates <paramref name="outputDirectory"/> when missing and holds it, or fails naming the other run.</summary>
    public static DemoRunLock Acquire(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, FileName);
        try
        {
            Directory.CreateDirectory(outputDirectory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{outputDirectory}': cannot create the directory: {exception.Message}", exception);
        }

        try
        {
            return new DemoRunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new UsageException($"--out '{outputDirectory}': cannot write into the directory: {exception.Message}", exception);
        }
        catch (IOException exception)
        {
            throw new UsageException(
                $"--out '{outputDirectory}': another demo run is writing into it (it holds '{FileName}'); wait for it to finish, or choose another --out.",
                exception);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
