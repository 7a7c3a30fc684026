using DataAccessAudit.Reporting.Aggregation;
using NodaTime;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class LocalDayCalendarTests
{
    [Theory]
    [InlineData("UTC", 1969, 12, 31, 23, 59, 1969, 12, 31)]
    [InlineData("UTC", 1970, 1, 1, 0, 0, 1970, 1, 1)]
    [InlineData("America/Los_Angeles", 2021, 11, 7, 7, 59, 2021, 11, 7)]
    [InlineData("America/Los_Angeles", 2021, 11, 8, 7, 59, 2021, 11, 7)]
    [InlineData("Asia/Shanghai", 2021, 9, 1, 16, 0, 2021, 9, 2)]
    public void DayNumberOf_Instant_IsLocalDate(string zone, int y, int mo, int d, int h, int mi, int ly, int lm, int ld)
    {
        var calendar = new LocalDayCalendar(DateTimeZoneProviders.Tzdb[zone]);
        var instant = Instant.FromUtc(y, mo, d, h, mi);

        var day = calendar.DayNumberOf(instant.ToUnixTimeTicks());

        Assert.Equal(new LocalDate(ly, lm, ld), LocalDayCalendar.DateOf(day));
        Assert.Equal(instant.InZone(DateTimeZoneProviders.Tzdb[zone]).Date, LocalDayCalendar.DateOf(day));
    }

    // Zones and dates where clocks go back across midnight: from 00:01 ADT to 23:01 AST in Moncton, and a whole day
    // repeated in Sitka when Alaska changed sides of the date line (LMT +14:58:47 to -9:01:13).
    [Theory]
    [InlineData("America/Moncton", 2005, 10, 30)]
    [InlineData("America/Sitka", 1867, 10, 18)]
    [InlineData("America/Sitka", 1867, 10, 19)]
    [InlineData("America/Los_Angeles", 2021, 11, 7)]
    [InlineData("Pacific/Apia", 2011, 12, 30)]
    public void DayNumberOf_AroundAClockChange_IsTheDayWhoseIntervalHoldsTheInstant(string zoneId, int year, int month, int day)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var date = new LocalDate(year, month, day);
        var from = ReportPeriod.StartOf(date.PlusDays(-2), zone);
        var to = ReportPeriod.StartOf(date.PlusDays(3), zone);
        var step = Duration.FromMinutes(1);

        // Both directions, and a fresh calendar each time, so the cached zone interval cannot hide a wrong floor.
        var calendar = new LocalDayCalendar(zone);
        for (var t = from; t < to; t += step)
        {
            var expected = DayByStarts(zone, t);
            Assert.Equal(expected, LocalDayCalendar.DateOf(calendar.DayNumberOf(t.ToUnixTimeTicks())));
            Assert.Equal(expected, LocalDayCalendar.DateOf(new LocalDayCalendar(zone).DayNumberOf(t.ToUnixTimeTicks())));
        }

        for (var t = to - step; t >= from; t -= step)
        {
            Assert.Equal(DayByStarts(zone, t), LocalDayCalendar.DateOf(calendar.DayNumberOf(t.ToUnixTimeTicks())));
        }
    }

    [Fact]
    public void DayNumberOf_InMonctonAfterClocksWentBackAcrossMidnight_IsTheDateThatHasBegun()
    {
        var calendar = new LocalDayCalendar(DateTimeZoneProviders.Tzdb["America/Moncton"]);

        // 03:30Z is 23:30 AST on 2005-10-29, after 00:01 ADT on 2005-10-30 (03:01Z) went back to 23:01 AST.
        Assert.Equal(new LocalDate(2005, 10, 30), LocalDayCalendar.DateOf(calendar.DayNumberOf(Instant.FromUtc(2005, 10, 30, 3, 30).ToUnixTimeTicks())));
        Assert.Equal(new LocalDate(2005, 10, 29), LocalDayCalendar.DateOf(calendar.DayNumberOf(Instant.FromUtc(2005, 10, 30, 2, 59).ToUnixTimeTicks())));
        Assert.Equal(new LocalDate(2005, 10, 31), LocalDayCalendar.DateOf(calendar.DayNumberOf(Instant.FromUtc(2005, 10, 31, 4, 0).ToUnixTimeTicks())));
    }

    // The day by the definition: the latest date whose start is at or before the instant.
    private static LocalDate DayByStarts(DateTimeZone zone, Instant instant)
    {
        var date = instant.InZone(zone).Date.PlusDays(-3);
        while (ReportPeriod.StartOf(date.PlusDays(1), zone) <= instant)
        {
            date = date.PlusDays(1);
        }

        return date;
    }
}
