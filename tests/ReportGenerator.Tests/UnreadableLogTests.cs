using System.Diagnostics;

namespace DataAccessAudit.ReportGenerator.Tests;

/// <summary>
/// A log that cannot be read is exit 2 with a message naming what could not be read, never a stack trace or a hang;
/// exit 1 means only that the log is broken.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnreadableLogTests : IClassFixture<DemoLogFixture>, IDisposable
{
    private const int Timeout = 120_000;

    private readonly DemoLogFixture _demo;
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-unreadable-").FullName;

    public UnreadableLogTests(DemoLogFixture demo) => _demo = demo;

    public static TheoryData<string, string, string> Entries => new()
    {
        { "verify", "fifo", "a FIFO (named pipe)" },
        { "verify", "directory", "a directory" },
        { "verify", "device", "a character device" },
        { "report", "fifo", "a FIFO (named pipe)" },
        { "report", "directory", "a directory" },
        { "report", "device", "a character device" },
    };

    public static TheoryData<string> Commands => ["verify", "report"];

    public void Dispose()
    {
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var directory in Directory.GetDirectories(_directory))
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Entries))]
    public async Task SegmentThatIsNotARegularFile_ExitsTwoNamingIt(string command, string entry, string kind)
    {
        var log = _demo.CopyLog(_directory);
        var segment = Path.Combine(log, "segment-0000000099.jsonl");
        Create(entry, segment);
        var output = Path.Combine(_directory, "out");

        var run = await Task.Run(() => CommandRun.Of(Arguments(command, log, output)), TestContext.Current.CancellationToken);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: --log '{log}': cannot read the log: '{segment}' is {kind}, not a log segment file; move it out of the log directory.{Environment.NewLine}", run.Error);
        Assert.False(Directory.Exists(output));
    }

    // A FIFO in place of writer.lock is a lock no writer holds, never opened (opening it would block): with the last
    // line cut, verify says truncated and exits 1, and report writes its report with the log broken.
    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Commands))]
    public async Task WriterLockThatIsAFifo_AndACutLastLine_IsTruncated_WithoutHanging(string command)
    {
        var log = _demo.CopyLog(_directory);
        var writerLock = Path.Combine(log, "writer.lock");
        File.Delete(writerLock);
        Create("fifo", writerLock);
        var segment = Directory.GetFiles(log, "segment-*.jsonl").Order(StringComparer.Ordinal).Last();
        File.WriteAllBytes(segment, File.ReadAllBytes(segment)[..^30]);
        var output = Path.Combine(_directory, "out");

        var run = await Task.Run(() => CommandRun.Of(Arguments(command, log, output)), TestContext.Current.CancellationToken);

        Assert.Equal(command == "verify" ? 1 : 0, run.ExitCode);
        if (command == "verify")
        {
            Assert.Contains("truncated", run.Output, StringComparison.Ordinal);
        }
        else
        {
            using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
            var integrity = report.RootElement.GetProperty("integrity");
            Assert.Equal("broken", integrity.GetProperty("status").GetString());
            Assert.Contains(integrity.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!.Contains("truncated", StringComparison.Ordinal));
        }
    }

    // The log's directory loses its read permission (0300); under root, which reads any directory, the tool runs without
    // the capabilities that override permissions, so that it is bound by that mode as any other user is.
    [Theory]
    [MemberData(nameof(Commands))]
    public async Task DirectoryThatCannotBeListed_ExitsTwoNamingIt_WithoutAStackTrace(string command)
    {
        var log = _demo.CopyLog(_directory);
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(log, UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var output = Path.Combine(_directory, "out");

        var (exitCode, _, error) = await ToolProcess.Run(Arguments(command, log, output, keyed: false), unprivileged: true);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"error: --log '{log}': cannot read the log: ", error, StringComparison.Ordinal);
        Assert.Contains($"The audit log directory '{log}' cannot be listed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    // keyed: false leaves the key file out: the log is listed before any key is needed.
    private string[] Arguments(string command, string log, string output, bool keyed = true) =>
        [command, "--log", log, .. keyed ? (string[])["--key-file", _demo.KeyFile] : [], .. command == "verify" ? (string[])[] : ["--format", "json", "--out", output]];

    private static void Create(string entry, string path)
    {
        switch (entry)
        {
            case "fifo":
                using (var mkfifo = Process.Start("mkfifo", [path]))
                {
                    mkfifo.WaitForExit();
                    Assert.Equal(0, mkfifo.ExitCode);
                }

                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            default:
                File.CreateSymbolicLink(path, "/dev/null");
                break;
        }
    }
}
