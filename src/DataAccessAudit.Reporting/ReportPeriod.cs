using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Reporting;

/// <summary>
/// The period a report covers: local dates (both inclusive, either optional) in an IANA time zone, and the
/// half-open range of instants <c>[FromInstant, ToInstant)</c> they mean.
/// </summary>
/// <remarks>
/// <c>FromInstant</c> is the start of <see cref="From"/> in the zone and <c>ToInstant</c> the start of the day after
/// <see cref="To"/>, both through <see cref="LocalDate.AtStartOfDayInZone"/>, so a period edge on a daylight-saving
/// change (or a day that starts at 01:00 because midnight was skipped) is exact. September 2021 in
/// <c>America/Los_Angeles</c> is <c>[2021-09-01T07:00:00Z, 2021-10-01T07:00:00Z)</c>.
/// </remarks>
public sealed class ReportPeriod
{
    private ReportPeriod(LocalDate? from, LocalDate? to, DateTimeZone timeZone)
    {
        From = from;
        To = to;
        TimeZone = timeZone;
        FromInstant = from?.AtStartOfDayInZone(timeZone).ToInstant();
        ToInstant = to?.PlusDays(1).AtStartOfDayInZone(timeZone).ToInstant();
    }

    /// <summary>Gets the first local date, inclusive; null when the period has no start.</summary>
    public LocalDate? From { get; }

    /// <summary>Gets the last local date, inclusive; null when the period has no end.</summary>
    public LocalDate? To { get; }

    /// <summary>Gets the time zone that dates (of the period and of the daily table) are in.</summary>
    public DateTimeZone TimeZone { get; }

    /// <summary>Gets the first instant in the period; null when it has no start.</summary>
    public Instant? FromInstant { get; }

    /// <summary>Gets the first instant after the period; null when it has no end.</summary>
    public Instant? ToInstant { get; }

    /// <summary>Gets a value indicating whether the period is bounded on neither side (every event counts).</summary>
    public bool IsUnbounded => From is null && To is null;

    /// <summary>Creates a period of local dates in a time zone.</summary>
    /// <param name="from">The first date, inclusive; null for no start.</param>
    /// <param name="to">The last date, inclusive; null for no end.</param>
    /// <param name="timeZone">The time zone the dates are in.</param>
    /// <returns>The period.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public static ReportPeriod Create(LocalDate? from, LocalDate? to, DateTimeZone timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        if (from is { } f && to is { } t && t < f)
        {
            throw new ArgumentException(
                $"The period ends ({LocalDatePattern.Iso.Format(t)}) before it starts ({LocalDatePattern.Iso.Format(f)}).",
                nameof(to));
        }

        return new ReportPeriod(from, to, timeZone);
    }

    /// <summary>Creates a period without bounds: every event counts, and daily figures use <paramref name="timeZone"/>.</summary>
    /// <param name="timeZone">The time zone of the daily figures.</param>
    /// <returns>The period.</returns>
    public static ReportPeriod All(DateTimeZone timeZone) => Create(null, null, timeZone);

    /// <summary>Tells whether an instant lies in <c>[FromInstant, ToInstant)</c>.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>True when it does.</returns>
    public bool Contains(Instant instant) =>
        (FromInstant is not { } start || instant >= start) && (ToInstant is not { } end || instant < end);

    /// <summary>Returns the dates and the zone, as reports show the period.</summary>
    /// <returns>Such as <c>2021-09-01 to 2021-09-30 in America/Los_Angeles</c>, or <c>all events (dates in UTC)</c>.</returns>
    public override string ToString() =>
        IsUnbounded
            ? $"all events (dates in {TimeZone.Id})"
            : $"{(From is { } f ? LocalDatePattern.Iso.Format(f) : "start")} to {(To is { } t ? LocalDatePattern.Iso.Format(t) : "end")} in {TimeZone.Id}";
}
