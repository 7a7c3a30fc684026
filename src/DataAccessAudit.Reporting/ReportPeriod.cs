using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Reporting;

/// <summary>
/// The period a report covers: local dates (both inclusive, either optional) in an IANA time zone, and the
/// half-open range of instants <c>[FromInstant, ToInstant)</c> they mean.
/// </summary>
/// <remarks>
/// <para>
/// <c>FromInstant</c> is the start of <see cref="From"/> in the zone and <c>ToInstant</c> the start of the day after
/// <see cref="To"/>. A date's start is its earliest instant in the zone, so a period edge on a daylight-saving change
/// (or a day that starts at 01:00 because midnight was skipped) is exact, and a date that does not exist in the zone
/// at all (2011-12-30 in <c>Pacific/Apia</c>) starts where the next date starts: it has zero length. September 2021 in
/// <c>America/Los_Angeles</c> is <c>[2021-09-01T07:00:00Z, 2021-10-01T07:00:00Z)</c>.
/// </para>
/// <para>
/// Dates run from 0001-01-01 to 9999-12-31. When the end of 9999-12-31 in the zone lies after the last instant an event
/// can carry (9999-12-31T23:59:59.999999999Z, in zones west of UTC), <c>ToInstant</c> is null: no instant is after it.
/// </para>
/// </remarks>
public sealed class ReportPeriod
{
    private ReportPeriod(LocalDate? from, LocalDate? to, DateTimeZone timeZone)
    {
        From = from;
        To = to;
        TimeZone = timeZone;
        FromInstant = from is { } f ? StartOf(f, timeZone) : null;
        ToInstant = to is { } t ? EndOf(t, timeZone) : null;
    }

    /// <summary>Gets the first date a report can show: 0001-01-01.</summary>
    public static LocalDate MinDate { get; } = new(1, 1, 1);

    /// <summary>Gets the last date a report can show: 9999-12-31.</summary>
    public static LocalDate MaxDate { get; } = new(9999, 12, 31);

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
    /// <exception cref="ArgumentOutOfRangeException">A date is before <see cref="MinDate"/> or not in the ISO calendar.</exception>
    public static ReportPeriod Create(LocalDate? from, LocalDate? to, DateTimeZone timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        CheckRange(from, nameof(from));
        CheckRange(to, nameof(to));
        if (from is { } f && to is { } t && t < f)
        {
            throw new ArgumentException(
                $"The period ends ({LocalDatePattern.Iso.Format(t)}) before it starts ({LocalDatePattern.Iso.Format(f)}).",
                nameof(to));
        }

        return new ReportPeriod(from, to, timeZone);
    }

    /// <summary>The earliest instant of a date in a zone; for a date the zone skips entirely, the start of the next date.</summary>
    /// <param name="date">The date, from <see cref="MinDate"/> to <see cref="MaxDate"/>.</param>
    /// <param name="timeZone">The zone.</param>
    /// <returns>The instant.</returns>
    internal static Instant StartOf(LocalDate date, DateTimeZone timeZone)
    {
        var mapping = timeZone.MapLocal(date.AtMidnight());
        if (mapping.Count > 0)
        {
            return mapping.First().ToInstant();
        }

        // Midnight falls in a gap: the day starts when the gap ends, which is the next date's start when the whole
        // date was skipped (zero length), or a later time of the same date.
        return mapping.LateInterval.Start;
    }

    /// <summary>The start of the date after <paramref name="date"/>; null when it lies after every representable instant.</summary>
    internal static Instant? EndOf(LocalDate date, DateTimeZone timeZone)
    {
        if (date < MaxDate)
        {
            return StartOf(date.PlusDays(1), timeZone);
        }

        // 10000-01-01 is beyond the calendar: its local midnight, by the zone's last offset, if that instant exists.
        var offset = timeZone.GetUtcOffset(Instant.MaxValue);
        var localTicks = (date.AtMidnight().InUtc().ToInstant().ToUnixTimeTicks() + NodaConstants.TicksPerDay);
        var ticks = localTicks - offset.Ticks;
        return ticks <= Instant.MaxValue.ToUnixTimeTicks() ? Instant.FromUnixTimeTicks(ticks) : null;
    }

    private static void CheckRange(LocalDate? date, string parameter)
    {
        if (date is { } d && (d.Calendar != CalendarSystem.Iso || d < MinDate || d > MaxDate))
        {
            throw new ArgumentOutOfRangeException(
                parameter,
                d,
                $"{d}: expected an ISO date from {LocalDatePattern.Iso.Format(MinDate)} to {LocalDatePattern.Iso.Format(MaxDate)}.");
        }
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
