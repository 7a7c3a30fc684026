using NodaTime;

namespace DataAccessAudit.Reporting.Tests;

public sealed class ReportPeriodTests
{
    private static readonly DateTimeZone LosAngeles = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];

    [Fact]
    public void Create_SeptemberInLosAngeles_CoversSpecExample()
    {
        var period = ReportPeriod.Create(new LocalDate(2021, 9, 1), new LocalDate(2021, 9, 30), LosAngeles);

        Assert.Equal(Instant.FromUtc(2021, 9, 1, 7, 0), period.FromInstant);
        Assert.Equal(Instant.FromUtc(2021, 10, 1, 7, 0), period.ToInstant);
    }

    [Fact]
    public void Create_DayWhenDaylightSavingEnds_Lasts25Hours()
    {
        var day = new LocalDate(2021, 11, 7);

        var period = ReportPeriod.Create(day, day, LosAngeles);

        Assert.Equal(Instant.FromUtc(2021, 11, 7, 7, 0), period.FromInstant);
        Assert.Equal(Instant.FromUtc(2021, 11, 8, 8, 0), period.ToInstant);
    }

    [Fact]
    public void Create_DayWhenDaylightSavingStarts_Lasts23Hours()
    {
        var day = new LocalDate(2022, 3, 13);

        var period = ReportPeriod.Create(day, day, LosAngeles);

        Assert.Equal(Duration.FromHours(23), period.ToInstant!.Value - period.FromInstant!.Value);
    }

    [Fact]
    public void Create_ToBeforeFrom_ThrowsNamingBothDates()
    {
        var exception = Assert.Throws<ArgumentException>(() => ReportPeriod.Create(new LocalDate(2021, 9, 30), new LocalDate(2021, 9, 1), LosAngeles));

        Assert.Contains("2021-09-01", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2021-09-30", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_HalfOpenRange_IncludesStartExcludesEnd()
    {
        var period = ReportPeriod.Create(new LocalDate(2021, 9, 1), new LocalDate(2021, 9, 1), DateTimeZone.Utc);

        Assert.True(period.Contains(Instant.FromUtc(2021, 9, 1, 0, 0)));
        Assert.False(period.Contains(Instant.FromUtc(2021, 9, 2, 0, 0)));
        Assert.False(period.Contains(Instant.FromUtc(2021, 8, 31, 23, 59, 59)));
    }

    [Fact]
    public void ToString_Unbounded_SaysAllEvents()
    {
        Assert.Equal("all events (dates in UTC)", ReportPeriod.All(DateTimeZone.Utc).ToString());
    }
}
