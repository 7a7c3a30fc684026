using NodaTime;
using static DataAccessAudit.Reporting.Tests.EventLines;

namespace DataAccessAudit.Reporting.Tests.Formats;

// Small reports whose values are hostile to each format: markup, formula starts, quotes and line breaks.
internal static class SampleReports
{
    public const string ScriptId = "<script>alert(1)</script>";
    public const string FormulaId = "=HYPERLINK(\"http://evil.example\",\"x\")";

    public static AccessReport Hostile() => Report(
        new AccessReportOptions { Period = ReportPeriod.Create(new LocalDate(2021, 9, 1), new LocalDate(2021, 9, 3), DateTimeZone.Utc) },
        Line("2021-09-01T10:00:00Z", requester: ScriptId, requesterRegion: "CN", storedIn: "SG"),
        Line("2021-09-01T11:00:00Z", requester: FormulaId, requesterRegion: "US"),
        Line("2021-09-02T11:00:00Z", requester: "+cmd|' /C calc'!A0", requesterRegion: "SG", resource: "a,b\"c\nd"),
        Line("2021-09-02T12:00:00Z", requester: "-2+3", requesterRegion: null, category: "public", type: "public-profile"),
        Line("2021-09-03T12:00:00Z", requester: "@SUM(A1)", requesterRegion: "IE", category: "interoperability", type: "metrics"),
        "<img src=x onerror=alert(1)>");
}
