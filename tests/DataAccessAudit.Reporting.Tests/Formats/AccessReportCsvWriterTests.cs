using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class AccessReportCsvWriterTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("\uFF1D1+2", "'\uFF1D1+2")]
    [InlineData("\uFF0B1", "'\uFF0B1")]
    [InlineData("\uFF0D1", "'\uFF0D1")]
    [InlineData("\uFF20SUM(A1)", "'\uFF20SUM(A1)")]
    [InlineData("  =1+2", "'  =1+2")]
    [InlineData("\u3000=1+2", "'\u3000=1+2")]
    [InlineData("\n=1+2", "\"'\n=1+2\"")]
    [InlineData(" \r\n@x", "\"' \r\n@x\"")]
    [InlineData("  plain", "  plain")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("=a;b", "\"'=a;b\"")]
    [InlineData("x=1", "x=1")]
    public void Write_Cell_IsNeutralisedAndQuoted(string value, string expected)
    {
        using var writer = new StringWriter();

        CsvCell.Write(writer, value);

        Assert.Equal(expected, writer.ToString());
    }

    [Fact]
    public void Write_Requesters_NeutralisesFormulaIdsAndUsesCrlf()
    {
        using var writer = new StringWriter();

        AccessReportCsvWriter.Write(writer, SampleReports.Hostile(), ReportTable.Requesters);
        var text = writer.ToString();

        Assert.StartsWith("id,region,events,", text, StringComparison.Ordinal);
        Assert.Contains("\r\n\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",US,", text, StringComparison.Ordinal);
        Assert.Contains("\r\n'+cmd|' /C calc'!A0,SG,", text, StringComparison.Ordinal);
        Assert.Contains("\r\n'-2+3,ZZ,", text, StringComparison.Ordinal);
        Assert.Contains("\r\n'@SUM(A1),IE,", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n=", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Totals_LabelsSubjectsAsSubjectRecords()
    {
        using var writer = new StringWriter();

        AccessReportCsvWriter.Write(writer, SampleReports.Hostile(), ReportTable.Totals);

        Assert.StartsWith("events,crossBorder,flagged,denied,approved,subjectRecords\r\n", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EveryTable_HasOneHeaderAndOneRowPerEntry()
    {
        var report = SampleReports.Hostile();
        var expectedRows = new Dictionary<ReportTable, int>
        {
            [ReportTable.Totals] = 1,
            [ReportTable.Findings] = report.Findings.Count,
            [ReportTable.RegionPairs] = report.RegionPairs.Count,
            [ReportTable.Categories] = report.Categories.Count,
            [ReportTable.Requesters] = report.Requesters.Count,
            [ReportTable.Residency] = report.Residency.Count,
            [ReportTable.Daily] = 3,
            [ReportTable.Problems] = 1,
            [ReportTable.BulkThresholds] = report.BulkThresholds.Count,
            [ReportTable.NeedingAction] = (int)report.NeedingAction.Count,
            [ReportTable.Approvals] = report.Approvals.ByApprover.Count + report.Approvals.ByRequester.Count,
        };

        foreach (var table in AccessReportCsvWriter.Tables)
        {
            using var writer = new StringWriter();
            AccessReportCsvWriter.Write(writer, report, table);

            Assert.Equal(expectedRows[table] + 1, RowCount(writer.ToString()));
        }
    }

    // Rows end with CRLF outside quotes; a quoted value (this sample's resource ids) may hold line breaks.
    private static int RowCount(string csv)
    {
        var rows = 0;
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            if (csv[i] == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && csv[i] == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                rows++;
            }
        }

        return rows;
    }

    [Fact]
    public void FileNameOf_EveryTable_IsDistinctCsvName()
    {
        var names = AccessReportCsvWriter.Tables.Select(AccessReportCsvWriter.FileNameOf).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.EndsWith(".csv", n, StringComparison.Ordinal));
    }
}
