using NodaTime;

namespace DataAccessAudit.Reporting;

/// <summary>The events of one local date in the report's time zone.</summary>
/// <param name="Date">The local date.</param>
/// <param name="Counts">Events of that date, by outcome and border.</param>
public sealed record DailyCount(LocalDate Date, AccessCounts Counts);
