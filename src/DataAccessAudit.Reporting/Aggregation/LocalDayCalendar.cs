using NodaTime;
using NodaTime.TimeZones;

namespace DataAccessAudit.Reporting.Aggregation;

// Turns instants into local day numbers (days since 1970-01-01 in the zone) without a ZonedDateTime per event:
// the zone interval of the last instant is cached, and events arrive roughly in time order, so the zone's rules are
// consulted once per offset change rather than once per event.
//
// An instant belongs to the day d whose interval [start of d, start of d + 1) holds it, the start of a date being its
// earliest instant (ReportPeriod.StartOf), so the days of a period add up to its events. That is the instant's local
// date, except after clocks go back across midnight: from 00:01 ADT to 23:01 AST the evening of the earlier date comes
// again, but the later date has started, so those instants count on the later date (in America/Sitka in 1867 a whole
// day came again). The day is therefore the later of the local date and the day of the instant just before the zone
// interval began, a floor computed once per interval.
internal sealed class LocalDayCalendar
{
    private static readonly LocalDate Epoch = new(1970, 1, 1);

    // No offset is larger (NodaTime's limit): nothing before an instant t has a local date after that of t + this.
    private static readonly long MaxOffsetTicks = Offset.MaxValue.Ticks;

    private readonly DateTimeZone _zone;
    private long _start = long.MaxValue;
    private long _end = long.MinValue;
    private long _offsetTicks;
    private int _floorDay;

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
            _floorDay = FloorDayOf(_zone, interval);
        }

        return Math.Max(LocalDay(ticks, _offsetTicks), _floorDay);
    }

    // The day of the instant just before the interval began (int.MinValue for the first interval): no instant of the
    // interval is on an earlier day. Walks back through earlier intervals only while one of them could still hold a
    // later local date, which after the first step back (months earlier, as a rule) none can.
    internal static int FloorDayOf(DateTimeZone zone, ZoneInterval interval)
    {
        var floor = int.MinValue;
        var at = interval;
        while (at.HasStart)
        {
            var before = at.Start.ToUnixTimeTicks() - 1;
            if (LocalDay(before, MaxOffsetTicks) <= floor)
            {
                break;
            }

            at = zone.GetZoneInterval(Instant.FromUnixTimeTicks(before));
            floor = Math.Max(floor, LocalDay(before, at.WallOffset.Ticks));
        }

        return floor;
    }

    private static int LocalDay(long unixTicks, long offsetTicks)
    {
        var local = unixTicks + offsetTicks;
        var day = local / NodaConstants.TicksPerDay;
        return (int)(local % NodaConstants.TicksPerDay < 0 ? day - 1 : day);
    }
}
