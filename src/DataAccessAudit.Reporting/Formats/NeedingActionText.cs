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

    private static readonly OffsetDateTimePattern LocalTime = OffsetDateTimePattern.GeneralIso;

    // The local time in the report's zone with its offset, such as 2026-11-03T14:05:00+01.
    public static string Time(Instant time, DateTimeZone zone) => LocalTime.Format(time.InZone(zone).ToOffsetDateTime());

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

    // The approval in a few words: its id, who approved it, and whether it held at the time of the access.
    public static string Approval(AccessEvent e)
    {
        if (e.Approval is not { } approval)
        {
            return "none";
        }

        var by = approval.ApprovedBy is { } approver ? $" by {approver}" : string.Empty;
        return ApprovalState(e) switch
        {
            "expired" => $"{approval.Id}{by}, expired {InstantPattern.General.Format(approval.ValidUntil!.Value)}",
            "not-yet-valid" => $"{approval.Id}{by}, not valid before {InstantPattern.General.Format(approval.ValidFrom!.Value)}",
            _ => $"{approval.Id}{by}",
        };
    }

    public static string Optional(Instant? instant) => instant is { } value ? InstantPattern.General.Format(value) : string.Empty;
}
