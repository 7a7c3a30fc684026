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
}
