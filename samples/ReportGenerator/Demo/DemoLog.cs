using System.Security.Cryptography;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Log;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// Where the demo records to: the library's durable log in <c>DIR/log</c>, its chain keyed with a fresh random demo key
/// that is written to <c>DIR/demo-log.key</c> (outside the log, as a real key lives in a secret store, in the key file
/// format <c>id:base64</c> that <c>verify --key-file</c> and docs/verify_log.py read).
/// </summary>
internal static class DemoLog
{
    public const string KeyId = "demo-1";
    public const string KeyFileName = "demo-log.key";

    /// <summary>Segments start every simulated week: the demo's ten months give a few dozen segments to verify across.</summary>
    public static readonly TimeSpan RotationInterval = TimeSpan.FromDays(7);

    /// <summary>The key file of the demo writing into <paramref name="outputDirectory"/>.</summary>
    public static string KeyFileOf(string outputDirectory) => Path.Combine(outputDirectory, KeyFileName);

    /// <summary>
    /// Registers the durable log writing into <paramref name="logDirectory"/>, keyed with a new random key written to
    /// <paramref name="keyFile"/> (mode 0600). Segments of an earlier demo run in the directory are removed first: a
    /// run starts a new log with a new key.
    /// </summary>
    public static IDataAccessAuditBuilder AddDemoLog(this IDataAccessAuditBuilder audit, string logDirectory, string keyFile)
    {
        RemoveEarlierRun(logDirectory);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(FileLogOptions.MinKeyLength));
        WriteKeyFile(keyFile, $"{KeyId}:{key}\n");
        return audit.AddFileLog(o =>
        {
            o.Directory = logDirectory;
            o.KeyId = KeyId;
            o.Key = key;
            o.RotationInterval = RotationInterval;
        });
    }

    private static void RemoveEarlierRun(string logDirectory)
    {
        if (!Directory.Exists(logDirectory))
        {
            return;
        }

        foreach (var file in FileLogDirectory.GetSegments(logDirectory).Concat(FileLogDirectory.GetTornFiles(logDirectory)))
        {
            File.Delete(file);
        }
    }

    private static void WriteKeyFile(string path, string text)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file: an existing key file from an earlier run keeps its mode.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
