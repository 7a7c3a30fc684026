namespace DataAccessAudit.ReportGenerator.Tests;

/// <summary>
/// One small demo run shared by a test class: its keyed durable log and key file. Tests that tamper with the log
/// work on a copy (<see cref="CopyLog"/>).
/// </summary>
public sealed class DemoLogFixture : IDisposable
{
    public const int Events = 400;

    public DemoLogFixture()
    {
        var run = CommandRun.Of("demo", "--out", Output, "--events", Events.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "5");
        Assert.Equal(0, run.ExitCode);
    }

    public string Output { get; } = Directory.CreateTempSubdirectory("access-report-demo-log-").FullName;

    public string Log => Path.Combine(Output, "log");

    public string KeyFile => Path.Combine(Output, "demo-log.key");

    /// <summary>Copies the demo's log into <paramref name="directory"/>/log and returns that directory.</summary>
    public string CopyLog(string directory)
    {
        var copy = Path.Combine(directory, "log");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Log))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    public void Dispose() => Directory.Delete(Output, recursive: true);

    /// <summary>The first segment of a log.</summary>
    public static string FirstSegment(string log) => Path.Combine(log, "segment-0000000001.jsonl");

    /// <summary>Makes the first segment's header name another key id, as an edited header (or a key file mix-up) does.</summary>
    public static void RenameKeyId(string log, string keyId)
    {
        var segment = FirstSegment(log);
        var lines = File.ReadAllLines(segment);
        Assert.Contains("\"keyId\":\"demo-1\"", lines[0], StringComparison.Ordinal);
        lines[0] = lines[0].Replace("\"keyId\":\"demo-1\"", $"\"keyId\":\"{keyId}\"", StringComparison.Ordinal);
        File.WriteAllLines(segment, lines);
    }

    /// <summary>Changes one byte of an event in the first segment, keeping the line valid JSON: "read" becomes "Read".</summary>
    public static void TamperOneByte(string log)
    {
        var path = FirstSegment(log);
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan().IndexOf("\"action\":\"read\""u8);
        Assert.True(at > 0);
        bytes[at + "\"action\":\"".Length] = (byte)'R';
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Deletes the fourth line (the third event) of the first segment.</summary>
    public static void DeleteLine(string log)
    {
        var path = FirstSegment(log);
        var lines = File.ReadAllLines(path).ToList();
        lines.RemoveAt(3);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }
}
