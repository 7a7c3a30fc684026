namespace DataAccessAudit.ReportGenerator.Tests;

/// <summary>The report's files are replaced together or not at all: a run that fails leaves the earlier report whole.</summary>
public sealed class ReportOutputTests : IClassFixture<DemoLogFixture>, IDisposable
{
    private readonly DemoLogFixture _demo;
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-output-").FullName;

    public ReportOutputTests(DemoLogFixture demo) => _demo = demo;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // A real full disk: a tmpfs filled so that the new report.json fits beside the earlier report but report.html does not.
    [Fact]
    public async Task Report_DiskFullPartWay_LeavesTheEarlierReportAsItWas_AndNoTemporaryFile()
    {
        const string Script = """
            tool="$1"; fs="$2"; log="$3"; key="$4"; results="$5"
            mount -t tmpfs -o size=2m tmpfs "$fs"
            SOURCE_DATE_EPOCH=1600000000 dotnet exec "$tool" report --log "$log" --key-file "$key" --out "$fs/out" > /dev/null
            (cd "$fs/out" && sha256sum -- * > "$results/before")
            json=$(stat -c %s "$fs/out/report.json"); html=$(stat -c %s "$fs/out/report.html")
            free=$(( $(stat -f -c %a "$fs") * $(stat -f -c %S "$fs") ))
            fallocate -l $(( free - json - 16384 )) "$fs/filler"
            echo "$json $html" > "$results/sizes"
            set +e
            dotnet exec "$tool" report --log "$log" --key-file "$key" --out "$fs/out" > /dev/null 2> "$results/error"
            echo $? > "$results/exit"
            (cd "$fs/out" && ls -A > "$results/names" && sha256sum -- * > "$results/after")
            """;
        var fileSystem = Directory.CreateDirectory(Path.Combine(_directory, "fs")).FullName;
        var results = Directory.CreateDirectory(Path.Combine(_directory, "results")).FullName;

        var run = await ToolProcess.RunInMountNamespace(Script, fileSystem, _demo.Log, _demo.KeyFile, results);

        Assert.True(run.ExitCode == 0, $"the script failed ({run.ExitCode}): {run.Error}");
        var sizes = File.ReadAllText(Path.Combine(results, "sizes")).Split(' ').Select(long.Parse).ToArray();
        Assert.True(sizes[1] > 20_000, "report.html must be larger than the space left after report.json");
        Assert.Equal("2", File.ReadAllText(Path.Combine(results, "exit")).Trim());
        var error = File.ReadAllText(Path.Combine(results, "error"));
        Assert.StartsWith($"error: --out '{fileSystem}/out': cannot write the report: ", error, StringComparison.Ordinal);
        Assert.Contains("No space left on device", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(results, "before")), File.ReadAllText(Path.Combine(results, "after")));
        Assert.DoesNotContain(".tmp", File.ReadAllText(Path.Combine(results, "names")), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_Rerun_ReplacesEveryFile_AndLeavesNoTemporaryFile()
    {
        var output = Path.Combine(_directory, "out");
        Assert.Equal(0, CommandRun.In([], new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1600000000" }, Arguments(output)).ExitCode);
        var before = Files(output);

        Assert.Equal(0, CommandRun.Of(Arguments(output)).ExitCode);

        var after = Files(output);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.NotEqual(before["report.json"], after["report.json"]);
    }

    // The report's files are written under the directory's lock, which a log's writer holds while the app runs.
    [Fact]
    public void Report_OutIsALogDirectory_ExitsTwoWritingNothing()
    {
        var before = Directory.GetFiles(_demo.Log).Order(StringComparer.Ordinal).ToList();

        var run = CommandRun.Of(Arguments(_demo.Log));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: --out '{_demo.Log}': holds an audit log's segments; expected a directory of the report's own.\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Equal(before, Directory.GetFiles(_demo.Log).Order(StringComparer.Ordinal));
    }

    // The temporary file the report is first written to is the tool's own business: the error names the file asked for.
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Report_OutNotWritable_NamesTheReportFile_NotATemporaryOne()
    {
        var output = Directory.CreateDirectory(Path.Combine(_directory, "read-only")).FullName;
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var (exitCode, _, error) = await ToolProcess.Run(Arguments(output), unprivileged: true);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: --out '{output}': cannot write the report: Access to the path '{output}/report.json' is denied.\n", error.ReplaceLineEndings("\n"));
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    private string[] Arguments(string output) => ["report", "--log", _demo.Log, "--key-file", _demo.KeyFile, "--out", output];

    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.GetFiles(directory).ToDictionary(file => Path.GetFileName(file), File.ReadAllBytes);
}
