using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Aggregation;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;
using NodaTime;
using static DataAccessAudit.Reporting.Tests.EventLines;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class NeedingActionCsvRowsTests : IDisposable
{
    private const string Crossing = "{\"outcome\":\"flagged\",\"crossBorder\":true,\"findings\":[\"cross-border-protected-access\"]}";
    private const string Concern = "{\"outcome\":\"flagged\",\"crossBorder\":true,\"findings\":[\"cross-border-protected-access\",\"country-of-concern-access\"]}";
    private const string Denied = "{\"outcome\":\"denied\",\"crossBorder\":true,\"findings\":[\"cross-border-protected-access\",\"stored-outside-home-jurisdiction\"]}";

    private readonly string _directory = Directory.CreateTempSubdirectory("needing-action-csv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Lines whose rows the bytes decide: every column, hostile values and the three approval states.
    public static TheoryData<string, string> PlainLines()
    {
        var lines = new[]
        {
            Line("2021-09-01T10:00:00Z", decision: Crossing),
            Line("1930-06-01T10:00:00.1234567Z", requester: "=HYPERLINK(x)", requesterRegion: "CN", decision: Concern, type: null),
            Raw(Line("2021-03-28T01:30:00Z", requester: "X", resource: "a,b;c", category: "public", decision: Denied, storedIn: "DE"), "  +1"),
            Line("2021-03-28T01:30:00Z", requester: "  -1", decision: Crossing),
            Line("2021-10-31T00:59:59.9999999Z", requester: "@me", resource: "-5", requesterRegion: null, decision: "{\"outcome\":\"flagged\",\"crossBorder\":false,\"findings\":[\"unknown-requester-region\"]}"),
            Line("2021-09-01T10:00:00Z", decision: Crossing, approval: "{\"id\":\"ap-1\",\"approvedBy\":\"=sec\",\"validUntil\":\"2021-08-01T00:00:00Z\"}"),
            Line("2021-09-01T10:00:00Z", decision: Crossing, approval: "{\"id\":\"ap;2\",\"validFrom\":\"2021-10-01T00:00:00Z\"}"),
            Line("2021-09-01T10:00:00Z", decision: Crossing, approval: "{\"id\":\"ap-3\",\"approvedBy\":\"sec\",\"validFrom\":\"2021-08-01T00:00:00Z\",\"validUntil\":\"2021-10-01T00:00:00.5Z\"}"),
            Line("0001-01-01T00:00:00Z", decision: Crossing),
            Line("9999-12-31T23:59:59Z", decision: Crossing),
        };
        var data = new TheoryData<string, string>();
        foreach (var zone in new[] { "UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Pacific/Chatham" })
        {
            foreach (var line in lines)
            {
                data.Add(zone, line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PlainLines))]
    public void RowFromBytes_EqualsRowFromRecord(string zone, string line)
    {
        var timeZone = DateTimeZoneProviders.Tzdb[zone];
        if (!FitsInZone(line, timeZone))
        {
            // A local time outside years 1 to 9999 is not a DateTime: the bytes leave such a row to the record.
            Assert.False(TryRowFromBytes(line, NeedingActionDecision.InLine, timeZone, out _));
            return;
        }

        Assert.True(TryRowFromBytes(line, NeedingActionDecision.InLine, timeZone, out var fromBytes));
        Assert.Equal(RowFromRecord(Record(line), timeZone), fromBytes);
    }

    [Theory]
    [InlineData("2021-09-01T10:00:00.123456789Z", null, "2021-09-01T10:00:00.123456789Z,")]
    [InlineData("2021-09-01T10:00:00.5Z", "{\"id\":\"ap\",\"validUntil\":\"2021-09-01T10:00:00.12345678Z\"}", ",2021-09-01T10:00:00.12345678Z,expired")]
    public void RowFromBytes_TimeOrBoundFinerThanATick_IsLeftToTheRecord_WhichWritesEveryDigit(string time, string? approval, string expected)
    {
        var line = Line(time, decision: Crossing, approval: approval);

        Assert.False(TryRowFromBytes(line, NeedingActionDecision.InLine, DateTimeZone.Utc, out _));
        Assert.Contains(expected, RowFromRecord(Record(line), DateTimeZone.Utc), StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_AccessLessThanASecondAfterItsApprovalExpired_ShowTimesThatReadApart()
    {
        // Whole seconds would show the access at its approval's end, beside "expired".
        var line = Line("2021-09-01T10:00:00.5Z", decision: Crossing, approval: "{\"id\":\"ap\",\"validUntil\":\"2021-09-01T10:00:00.25Z\"}");
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

        Assert.True(TryRowFromBytes(line, NeedingActionDecision.InLine, zone, out var fromBytes));
        Assert.Equal(RowFromRecord(Record(line), zone), fromBytes);
        Assert.StartsWith("2021-09-01T12:00:00.5+02,", fromBytes, StringComparison.Ordinal);
        Assert.EndsWith(",2021-09-01T10:00:00.25Z,expired\r\n", fromBytes, StringComparison.Ordinal);
    }

    [Fact]
    public void RowFromBytes_WithAnEvaluatedDecision_ListsThatDecision()
    {
        // No decision in the line: the one the report evaluated, packed beside it, is listed.
        var line = Line("2021-09-01T10:00:00Z", requesterRegion: "CN");
        // Built-in findings 0 and 2: cross-border-protected-access and country-of-concern-access.
        var decision = NeedingActionDecision.Pack(AccessOutcome.Flagged, crossBorder: true, 0b101);
        var record = NeedingActionDecision.Apply(Record(line), decision, "project-texas");

        Assert.True(TryRowFromBytes(line, decision, DateTimeZone.Utc, out var fromBytes));
        Assert.Equal(RowFromRecord(record, DateTimeZone.Utc), fromBytes);
        Assert.StartsWith("2021-09-01T10:00:00Z,country-of-concern,flagged,", fromBytes, StringComparison.Ordinal);
        Assert.Contains(",\"cross-border-protected-access;country-of-concern-access\",", fromBytes, StringComparison.Ordinal);
    }

    public static TheoryData<string, int> LinesForTheRecord() => new()
    {
        // Not ASCII: the spreadsheet rules have full-width and non-breaking forms the bytes do not check.
        { Raw(Line("2021-09-01T10:00:00Z", requester: "X", decision: Crossing), "\uFF1Dcmd"), NeedingActionDecision.InLine },

        // Escaped: the bytes are not the value.
        { Line("2021-09-01T10:00:00Z", requester: "a\"b", decision: Crossing), NeedingActionDecision.InLine },

        // No decision in the line, and none evaluated beside it.
        { Line("2021-09-01T10:00:00Z"), NeedingActionDecision.InLine },

        // In the same tick as the approval's end: only the nanoseconds say whether it expired.
        { Line("2021-09-01T10:00:00.00000005Z", decision: Crossing, approval: "{\"id\":\"ap\",\"validUntil\":\"2021-09-01T10:00:00.00000001Z\"}"), NeedingActionDecision.InLine },

        // Not compact.
        { Line("2021-09-01T10:00:00Z", decision: Crossing).Replace(",", ", ", StringComparison.Ordinal), NeedingActionDecision.InLine },
    };

    [Theory]
    [MemberData(nameof(LinesForTheRecord))]
    public void RowFromBytes_DeclinesWhatOnlyTheRecordDecides(string line, int decision) =>
        Assert.False(TryRowFromBytes(line, decision, DateTimeZone.Utc, out _));

    [Fact]
    public void File_OfAListSpilledToRuns_EqualsEveryRecordWrittenInOrder()
    {
        // Lines the bytes write and lines they decline, read by the fast scanner on several workers and spilled to
        // runs, so that the file takes both ways.
        var zone = DateTimeZoneProviders.Tzdb["Europe/Amsterdam"];
        var lines = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            var time = Instant.FromUtc(1930, 1, 1, 0, 0).Plus(Duration.FromHours(i * 97L));
            var requester = (i % 5) switch { 0 => "=x", 1 => "X", 2 => "a;b", _ => $"r{i % 13}" };
            lines.Add(Raw(Line(
                NodaTime.Text.InstantPattern.General.Format(time),
                requester: requester,
                requesterRegion: i % 7 == 0 ? "CN" : "DE",
                resource: $"user/{i}/dm",
                decision: i % 3 == 0 ? null : Crossing,
                approval: i % 4 == 0 ? "{\"id\":\"ap\",\"validUntil\":\"1950-01-01T00:00:00Z\"}" : null), "zo\u00EB"));
        }

        var path = Path.Combine(_directory, "events.jsonl");
        File.WriteAllLines(path, lines);
        var builder = new AccessReportBuilder(new AccessReportOptions { Period = ReportPeriod.All(zone), NeedingActionRunLength = 64, NeedingActionRows = 5 });
        JsonLinesReportReader.Read([path], builder, maxDegreeOfParallelism: 2, cancellationToken: TestContext.Current.CancellationToken);
        var report = builder.Build(ReportIntegrity.Unverified);
        Assert.NotNull(report.NeedingAction.Runs);

        var expected = new StringBuilder(string.Join(',', NeedingActionText.CsvHeader)).Append("\r\n");
        foreach (var record in report.NeedingAction.ReadAll())
        {
            expected.Append(RowFromRecord(record, zone));
        }

        using var stream = new MemoryStream();
        NeedingActionCsvRows.Write(stream, report);
        using var writer = new StringWriter();
        AccessReportCsvWriter.Write(writer, report, ReportTable.NeedingAction);

        Assert.True(report.NeedingAction.Count > 1_000);
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(expected.ToString(), writer.ToString());
    }

    // The line with its requester id "X" replaced by a value written as it is, not escaped.
    private static string Raw(string line, string requester) => line.Replace("\"id\":\"X\"", $"\"id\":\"{requester}\"", StringComparison.Ordinal);

    // Whether the line's local date lies in years 1 to 9999 of the zone (a report lists no other: its dates end there).
    private static bool FitsInZone(string line, DateTimeZone zone)
    {
        var time = Record(line).Event.Time;
        var local = time.ToUnixTimeTicks() + zone.GetUtcOffset(time).Ticks;
        return local >= Instant.FromUtc(1, 1, 1, 0, 0).ToUnixTimeTicks() && local < Instant.FromUtc(9999, 12, 31, 0, 0).ToUnixTimeTicks() + NodaConstants.TicksPerDay;
    }

    private static bool TryRowFromBytes(string line, int decision, DateTimeZone zone, out string row)
    {
        using var writer = new StringWriter();
        var rows = NeedingActionCsvRows.To(writer, zone);
        var written = rows.TryWriteFromBytes(Encoding.UTF8.GetBytes(line), decision);
        rows.Flush();
        row = writer.ToString();
        Assert.Equal(written, row.Length > 0);
        return written;
    }

    private static string RowFromRecord(AccessRecord record, DateTimeZone zone)
    {
        using var writer = new StringWriter();
        var rows = NeedingActionCsvRows.To(writer, zone);
        rows.WriteRecord(record);
        rows.Flush();
        return writer.ToString();
    }
}
