using NodaTime;

namespace DataAccessAudit.BulkData;

/// <summary>
/// The 12 months that precede and include a local date, the span over which 28 CFR 202.205 adds up a counterparty's
/// access: the window ending on 2025-03-01 starts on 2024-03-02 (365 days), the one ending on 2024-03-01 starts on
/// 2023-03-02 (366 days, a leap day inside).
/// </summary>
/// <param name="Start">The first date, inclusive.</param>
/// <param name="End">The last date, inclusive.</param>
public readonly record struct BulkWindow(LocalDate Start, LocalDate End)
{
    /// <summary>The length of the window in calendar months.</summary>
    public const int Months = 12;

    /// <summary>Gets the number of dates in the window (365 or 366).</summary>
    public int Days => Period.DaysBetween(Start, End) + 1;

    /// <summary>Returns the window of the 12 months ending on <paramref name="end"/>, inclusive.</summary>
    /// <param name="end">The last date.</param>
    /// <returns>
    /// The window from the day after the same date twelve months earlier (clamped to month ends) to <paramref name="end"/>;
    /// in the calendar's first year, from its first date (there is no earlier one to count).
    /// </returns>
    public static BulkWindow EndingOn(LocalDate end) =>
        new(end.Year > end.Calendar.MinYear ? end.PlusMonths(-Months).PlusDays(1) : new LocalDate(end.Calendar.MinYear, 1, 1, end.Calendar), end);

    /// <summary>Tells whether a date lies in the window.</summary>
    /// <param name="date">The date.</param>
    /// <returns>True when <see cref="Start"/> &lt;= <paramref name="date"/> &lt;= <see cref="End"/>.</returns>
    public bool Contains(LocalDate date) => date >= Start && date <= End;
}
