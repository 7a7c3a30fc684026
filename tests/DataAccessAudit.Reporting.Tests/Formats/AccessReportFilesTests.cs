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
