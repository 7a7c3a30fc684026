namespace DataAccessAudit.ReportGenerator.Tests;

// A failure no command expected ends the run with one line and exit 2 (the input could not be used), never a stack
// trace and exit 1, which verify keeps for a broken log and report --strict for problems found.
public sealed class UnexpectedFailureTests(DemoLogFixture demo) : IClassFixture<DemoLogFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-unexpected-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ExceptionNoCommandExpected_ExitsTwoWithOneLineNamingIt()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var terminal = Terminal.Plain(output, error, () => throw new InvalidOperationException("the input went away"), name => name == "SOURCE_DATE_EPOCH" ? CommandRun.Epoch : null);

        var exitCode = AccessReportCommandLine.Run(["report", "--events", "-", "--out", Path.Combine(_directory, "out"), "--strict"], terminal);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: report: could not finish: InvalidOperationException: the input went away{Environment.NewLine}", error.ToString());
    }

    // A real one: a file size limit, which .NET reports as an ArgumentOutOfRangeException from the write. The earlier
    // report's files are not there to keep; no temporary file is left.
    [Fact]
    public async Task Report_FileSizeLimitExceeded_ExitsTwoWithOneLine()
    {
        const string Script = """
            tool="$1"; log="$2"; out="$3"; results="$4"
            trap '' XFSZ
            ulimit -f 20
            set +e
            DOTNET_EnableWriteXorExecute=0 dotnet exec "$tool" report --log "$log" --out "$out" --strict > /dev/null 2> "$results/error"
            echo $? > "$results/exit"
            """;
        var output = Path.Combine(_directory, "out");
        var results = Directory.CreateDirectory(Path.Combine(_directory, "results")).FullName;

        var run = await ToolProcess.RunScript(Script, demo.Log, output, results);

        Assert.True(run.ExitCode == 0, $"the script failed ({run.ExitCode}): {run.Error}");
        Assert.Equal("2", File.ReadAllText(Path.Combine(results, "exit")).Trim());
        Assert.Equal("error: report: could not finish: ArgumentOutOfRangeException: Specified file length was too large for the file system.\n", File.ReadAllText(Path.Combine(results, "error")));
        Assert.Empty(Directory.GetFiles(output));
    }
}
