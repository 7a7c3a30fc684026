using System.Text.Json;
using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class AccessReportJsonWriterTests
{
    [Fact]
    public void Format_Report_HasEverySpecFieldInOrder()
    {
        using var document = JsonDocument.Parse(AccessReportJsonWriter.Format(SampleReports.Hostile()));
        var root = document.RootElement;

        Assert.Equal(
            ["schema", "policy", "period", "totals", "findings", "regionPairs", "categories", "requesters", "residency", "daily", "integrity", "inputProblems", "inputProblemCount", "decidedBy", "bulkThresholds", "needingAction", "approvals"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("access-report/1", root.GetProperty("schema").GetString());
        Assert.Equal("project-texas/1", root.GetProperty("policy").GetString());
        Assert.Equal("2021-09-01T00:00:00Z", root.GetProperty("period").GetProperty("fromInstant").GetString());
        Assert.Equal("2021-09-04T00:00:00Z", root.GetProperty("period").GetProperty("toInstant").GetString());
        Assert.Equal("UTC", root.GetProperty("period").GetProperty("timeZone").GetString());
        Assert.Equal(5, root.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal("unverified", root.GetProperty("integrity").GetProperty("status").GetString());
        Assert.Equal(1, root.GetProperty("inputProblemCount").GetInt64());
        Assert.Equal(6, root.GetProperty("inputProblems")[0].GetProperty("line").GetInt64());
    }

    [Fact]
    public void Format_Requester_HasSpecFieldsAndKeepsIdVerbatim()
    {
        using var document = JsonDocument.Parse(AccessReportJsonWriter.Format(SampleReports.Hostile()));
        var requesters = document.RootElement.GetProperty("requesters");

        var script = requesters.EnumerateArray().Single(r => r.GetProperty("id").GetString() == SampleReports.ScriptId);
        Assert.Equal("CN", script.GetProperty("region").GetString());
        Assert.Equal(1, script.GetProperty("protectedResources").GetInt64());
        Assert.Equal(1, script.GetProperty("resourceTypes").GetInt64());
        Assert.False(script.GetProperty("broadAccess").GetBoolean());
        var unknown = requesters.EnumerateArray().Single(r => r.GetProperty("id").GetString() == "-2+3");
        Assert.Equal("ZZ", unknown.GetProperty("region").GetString());
    }

    [Fact]
    public void Format_UnboundedPeriod_WritesNullDates()
    {
        var report = EventLines.Report(EventLines.Line("2021-09-01T00:00:00Z"));

        using var document = JsonDocument.Parse(AccessReportJsonWriter.Format(report));
        var period = document.RootElement.GetProperty("period");

        Assert.Equal(JsonValueKind.Null, period.GetProperty("from").ValueKind);
        Assert.Equal(JsonValueKind.Null, period.GetProperty("toInstant").ValueKind);
    }

    [Fact]
    public void Write_ManyRequesters_HandsTheDocumentToTheStreamAsItGoes()
    {
        var lines = Enumerable.Range(0, 5_000).Select(i => EventLines.Line("2021-09-01T00:00:00Z", requester: $"requester-{i:D5}")).ToArray();
        var report = EventLines.Report(lines);
        using var stream = new LargestWriteStream();

        AccessReportJsonWriter.Write(stream, report);

        // The document is megabytes; no single write holds more than the writer's threshold and one row.
        Assert.True(stream.Length > 1_000_000, $"document of {stream.Length} bytes");
        Assert.InRange(stream.LargestWrite, 1, 80 * 1024);
        Assert.Equal(AccessReportJsonWriter.Format(report), System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private sealed class LargestWriteStream : MemoryStream
    {
        public int LargestWrite { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            base.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            LargestWrite = Math.Max(LargestWrite, count);
            base.Write(buffer, offset, count);
        }
    }
}
