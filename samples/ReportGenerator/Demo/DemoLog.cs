using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Log;
using DataAccessAudit.Transparency;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// Where the demo records to: the library's durable log in <c>DIR/log</c>, its chain keyed with a fresh random demo key
/// that is written to <c>DIR/demo-log.key</c> (outside the log, as a real key lives in a secret store, in the key file
/// format <c>id:base64</c> that <c>verify --key-file</c> and docs/verify_log.py read).
/// </summary>
/// <remarks>
/// A demo run replaces only a log it wrote itself: it marks <c>DIR/log</c> with <see cref="MarkerFileName"/>, and refuses
/// a log directory that holds segments or a Merkle tree without that mark (someone's real log must never be deleted by
/// a demo). The tree a user signed over the demo's log (<c>access-report checkpoint</c>) is part of that log and goes
/// with it: kept, it would cover the earlier run's records, and the new log would be reported cut.
/// </remarks>
internal static class DemoLog
{
    public const string KeyId = "demo-1";
    public const string KeyFileName = "demo-log.key";

    /// <summary>The file that marks a log directory as the demo's own output, which a later run may replace.</summary>
    public const string MarkerFileName = "access-report-demo.marker";

    /// <summary>
    /// A segment is closed before a batch once it is a simulated week old, by the story's clock as the writer reads it
    /// when it writes that batch. The story records faster than the writer writes, so a batch can hold weeks of accesses
    /// and the segments are uneven: one segment for 2,000 events, about a dozen for 20,000, about 34 for 200,000,
    /// varying from run to run.
    /// </summary>
    public static readonly TimeSpan RotationInterval = TimeSpan.FromDays(7);

    /// <summary>The key file of the demo writing into <paramref name="outputDirectory"/>.</summary>
    public static string KeyFileOf(string outputDirectory) => Path.Combine(outputDirectory, KeyFileName);

    /// <summary>
    /// Fails with a usage error when <paramref name="logDirectory"/> holds log files that an earlier demo run did not
    /// write; checked before anything is written.
    /// </summary>
    public static void CheckOwnOutput(string logDirectory, string outOption)
    {
        if (File.Exists(logDirectory))
        {
            throw new UsageException($"--out '{outOption}': '{logDirectory}' is a file; the demo writes its log into that directory.");
        }

        if (Directory.Exists(logDirectory) && !File.Exists(Path.Combine(logDirectory, MarkerFileName))
            && (LogFiles(logDirectory).Any() || Directory.Exists(LogTree.TreeDirectory(logDirectory))))
        {
            throw new UsageException(
                $"--out '{outOption}': '{logDirectory}' holds an audit log that the demo did not write; the demo replaces only its own output. " +
                "Choose another --out, or move that log away yourself.");
        }
    }

    /// <summary>
    /// Registers the durable log writing into <paramref name="logDirectory"/>, keyed with the newest key of
    /// <paramref name="keys"/>.
    /// </summary>
    public static IDataAccessAuditBuilder AddDemoLog(this IDataAccessAuditBuilder audit, string logDirectory, FileLogKeyRing keys) =>
        audit.AddFileLog(o =>
        {
            o.Directory = logDirectory;
            keys.ApplyTo(o);
            o.RotationInterval = RotationInterval;
        });

    /// <summary>
    /// Once this run's writer holds the log directory: removes the files of an earlier demo run (its segments and the
    /// tree signed over them), marks the directory as the demo's, and writes the key file (mode 0600).
    /// </summary>
    public static void StartRun(string logDirectory, FileLogKeyRing keys, string keyFile)
    {
        foreach (var file in LogFiles(logDirectory))
        {
            File.Delete(file);
        }

        LogTree.Delete(logDirectory);

        File.WriteAllText(Path.Combine(logDirectory, MarkerFileName), "This log was written by 'access-report demo'; a later demo run with the same --out replaces it.\n");
        keys.Write(keyFile);
    }

    private static IEnumerable<string> LogFiles(string logDirectory) =>
        FileLogDirectory.GetSegments(logDirectory).Concat(FileLogDirectory.GetTornFiles(logDirectory));
}
