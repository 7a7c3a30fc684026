using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class AccessReportFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("report-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Write_AllFormats_WritesStandardNames()
    {
        var written = AccessReportFiles.Write(SampleReports.Hostile(), _directory);

        Assert.Equal(
            ["report.json", "report.html", "report.md", "totals.csv", "findings.csv", "region-pairs.csv", "categories.csv", "requesters.csv", "residency.csv", "daily.csv", "problems.csv", "bulk-thresholds.csv", "needing-action.csv", "approvals.csv"],
            written.Select(Path.GetFileName));
        Assert.All(written, path => Assert.True(new FileInfo(path).Length > 0));
    }

    [Fact]
    public void Write_JsonOnly_WritesOnlyJson()
    {
        var written = AccessReportFiles.Write(SampleReports.Hostile(), _directory, ReportFormats.Json);

        Assert.Equal(["report.json"], written.Select(Path.GetFileName));
        Assert.Single(Directory.GetFiles(_directory));
    }

    // A report directory created for the report is an entry of its parent, which a power loss takes back with the
    // report in it unless the parent is synced: each directory created is synced in its parent, then the report's.
    [Fact]
    public void Write_IntoNewDirectories_MakesEachDurableInItsParent()
    {
        var directory = Path.Combine(_directory, "2026", "11");
        var synced = new List<string>();

        AccessReportFiles.Write(SampleReports.Hostile(), directory, ReportFormats.Json, synced.Add);

        Assert.Equal([Path.Combine(_directory, "2026"), _directory, directory], synced);
    }

    // Two writers renaming their files into one directory at once left some files of each. Another process holds the
    // directory's lock here (flock(1) on the directory, as a second report run would), and the write waits for it.
    [Fact]
    public async Task Write_WhileAnotherProcessHoldsTheDirectory_WaitsForIt()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "flock(1) of util-linux holds the directory");
        // The holder marks its last moment with the lock (a file beside the directory) before it lets go: a write that
        // waited finds the mark, whenever the runtime notices that the holder exited.
        var released = _directory + ".released";
        var start = new System.Diagnostics.ProcessStartInfo("flock") { RedirectStandardOutput = true };
        foreach (var argument in new[] { _directory, "-c", $"echo held; sleep 1; touch '{released}'" })
        {
            start.ArgumentList.Add(argument);
        }

        using var holder = System.Diagnostics.Process.Start(start)!;
        Assert.Equal("held", await holder.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken));

        AccessReportFiles.Write(SampleReports.Hostile(), _directory, ReportFormats.Json);

        Assert.True(File.Exists(released), "the report was written while another process held its directory");
        File.Delete(released);
    }

    [Theory]
    [InlineData("html,md,csv,json", ReportFormats.All)]
    [InlineData("JSON", ReportFormats.Json)]
    [InlineData("markdown, csv", ReportFormats.Markdown | ReportFormats.Csv)]
    public void TryParseFormats_KnownNames_Parse(string text, ReportFormats expected)
    {
        Assert.True(AccessReportFiles.TryParseFormats(text, out var formats, out var error));
        Assert.Equal(expected, formats);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("pdf", "'pdf'")]
    [InlineData("html,xml", "'xml'")]
    [InlineData(",", "no report format")]
    public void TryParseFormats_UnknownName_SaysWhich(string text, string expected)
    {
        Assert.False(AccessReportFiles.TryParseFormats(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
