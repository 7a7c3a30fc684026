using System.Globalization;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Reporting.Formats;

// How every format words one access needing action, so the page, the Markdown and needing-action.csv agree.
internal static class NeedingActionText
{
    // The column names of needing-action.csv, in order.
    public static readonly string[] CsvHeader =
    [
        "time", "severity", "outcome", "eventId", "requesterId", "requesterRegion", "organization", "resourceId",
        "resourceType", "category", "dataRegion", "findings", "approvalId", "approvedBy", "approvalValidFrom",
        "approvalValidUntil", "approvalState",
    ];

    // needing-action.csv's times are exact: whole seconds, then as many fractional digits as the instant has (none when
    // it has none), so that a time and an approval's bound that differ by less than a second still read apart. The
    // pages, which people read rather than compare, show them to the second (the fraction cut off, never rounded up), so
    // that the table of accesses fits a desktop screen. These patterns and WriteTime are the one place that writes them.
    private static readonly OffsetDateTimePattern LocalTime = OffsetDateTimePattern.ExtendedIso;
    private static readonly InstantPattern UtcTime = InstantPattern.ExtendedIso;
    private static readonly OffsetDateTimePattern PageLocalTime = OffsetDateTimePattern.GeneralIso;
    private static readonly InstantPattern PageUtcTime = InstantPattern.General;

    // The local time in the report's zone with its offset, such as 2026-11-03T14:05:00+01 or 2026-11-03T14:05:00.25+01.
    public static string Time(Instant time, DateTimeZone zone) => LocalTime.Format(time.InZone(zone).ToOffsetDateTime());

    // The same as the pages show it, to the second: 2026-11-03T14:05:00+01.
    public static string PageTime(Instant time, DateTimeZone zone) => PageLocalTime.Format(time.InZone(zone).ToOffsetDateTime());

    // A date and time given in ticks, as Time and Optional write it before the offset or Z (the rows that
    // needing-action.csv writes from a line's bytes, for times whose ticks hold them exactly); returns the bytes written.
    public static int WriteTime(DateTime dateTime, Span<byte> destination)
    {
        dateTime.TryFormat(destination, out var written, "s", CultureInfo.InvariantCulture);
        var fraction = (int)(dateTime.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            return written;
        }

        var digits = 7;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        destination[written++] = (byte)'.';
        for (var i = digits - 1; i >= 0; i--)
        {
            destination[written + i] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        return written + digits;
    }

    public static string Severity(ActionSeverity severity) => severity switch
    {
        ActionSeverity.Denied => "denied",
        ActionSeverity.CountryOfConcern => "country-of-concern",
        ActionSeverity.CrossBorderProtected => "cross-border-protected",
        _ => "flagged",
    };

    // A heading for the severity, for people.
    public static string SeverityTitle(ActionSeverity severity) => severity switch
    {
        ActionSeverity.Denied => "Denied",
        ActionSeverity.CountryOfConcern => "Country of concern",
        ActionSeverity.CrossBorderProtected => "Cross-border, protected",
        _ => "Other flagged",
    };

    public static string Outcome(AccessRecord record) => OutcomeNames.Format(record.Decision!.Value.Outcome);

    public static string Findings(AccessRecord record, string separator) => string.Join(separator, record.Decision!.Value.Findings.Select(f => f.Name));

    // valid, expired or not-yet-valid at the time of the access; empty without an approval.
    public static string ApprovalState(AccessEvent e) => e.Approval switch
    {
        null => string.Empty,
        { ValidUntil: { } until } when e.Time > until => "expired",
        { ValidFrom: { } from } when e.Time < from => "not-yet-valid",
        _ => "valid",
    };

    // The approval in a few words, as the pages show it: its id, who approved it, and whether it held at the time of the
    // access (its bound to the second, as PageTime).
    public static string Approval(AccessEvent e)
    {
        if (e.Approval is not { } approval)
        {
            return "none";
        }

        var by = approval.ApprovedBy is { } approver ? $" by {approver}" : string.Empty;
        return ApprovalState(e) switch
        {
            "expired" => $"{approval.Id}{by}, expired {PageUtcTime.Format(approval.ValidUntil!.Value)}",
            "not-yet-valid" => $"{approval.Id}{by}, not valid before {PageUtcTime.Format(approval.ValidFrom!.Value)}",
            _ => $"{approval.Id}{by}",
        };
    }

    public static string Optional(Instant? instant) => instant is { } value ? UtcTime.Format(value) : string.Empty;
}
