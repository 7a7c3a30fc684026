using NodaTime;

namespace DataAccessAudit.Reporting;

/// <summary>The events of one local date in the report's time zone.</summary>
/// <param name="Date">The local date.</param>
/// <param name="Events">Events of that date.</param>
/// <param name="CrossBorder">Of these, events that crossed a border.</param>
/// <param name="Flagged">Of these, events whose outcome is <c>flagged</c>.</param>
/// <param name="Denied">Of these, events whose outcome is <c>denied</c>.</param>
/// <param name="Approved">Of these, events whose outcome is <c>approved</c>.</param>
public sealed record DailyCount(LocalDate Date, long Events, long CrossBorder, long Flagged, long Denied, long Approved);
