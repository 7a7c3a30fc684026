using NodaTime;

namespace DataAccessAudit.Reporting.Aggregation;

// Turns instants into local day numbers (days since 1970-01-01 in the zone) without a ZonedDateTime per event:
// the zone interval of the last instant is cached, and events arrive roughly in time order, so the zone's rules are
// consulted once per offset change rather than once per event.
internal sealed class LocalDayCalendar
{
    private static readonly LocalDate Epoch = new(1970, 1, 1);

    private readonly DateTimeZone _zone;
    private long _start = long.MaxValue;
    private long _end = long.MinValue;
    private long _offsetTicks;

    public LocalDayCalendar(DateTimeZone zone) => _zone = zone;

    public static LocalDate DateOf(int dayNumber) => Epoch.PlusDays(dayNumber);

    public static int DayNumberOf(LocalDate date) => Period.DaysBetween(Epoch, date);

    public int DayNumberOf(long unixTicks)
    {
        var ticks = unixTicks;
        if (ticks < _start || ticks >= _end)
        {
            var interval = _zone.GetZoneInterval(Instant.FromUnixTimeTicks(ticks));
            _start = interval.HasStart ? interval.Start.ToUnixTimeTicks() : long.MinValue;
            _end = interval.HasEnd ? interval.End.ToUnixTimeTicks() : long.MaxValue;
            _offsetTicks = interval.WallOffset.Ticks;
        }

        var local = ticks + _offsetTicks;
        var day = local / NodaConstants.TicksPerDay;
        return (int)(local % NodaConstants.TicksPerDay < 0 ? day - 1 : day);
    }
}
