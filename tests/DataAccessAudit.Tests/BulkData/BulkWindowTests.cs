using DataAccessAudit.BulkData;
using NodaTime;

namespace DataAccessAudit.Tests.BulkData;

public sealed class BulkWindowTests
{
    [Fact]
    public void EndingOn_AYearWithoutALeapDay_Spans365Days()
    {
        var window = BulkWindow.EndingOn(new LocalDate(2025, 3, 1));

        Assert.Equal(new LocalDate(2024, 3, 2), window.Start);
        Assert.Equal(365, window.Days);
    }

    [Fact]
    public void EndingOn_AYearWithALeapDay_Spans366Days()
    {
        var window = BulkWindow.EndingOn(new LocalDate(2024, 3, 1));

        Assert.Equal(new LocalDate(2023, 3, 2), window.Start);
        Assert.Equal(366, window.Days);
    }

    [Fact]
    public void EndingOn_TheLeapDay_StartsOnTheFirstOfMarch()
    {
        var window = BulkWindow.EndingOn(new LocalDate(2024, 2, 29));

        Assert.Equal(new LocalDate(2023, 3, 1), window.Start);
        Assert.Equal(366, window.Days);
    }

    [Fact]
    public void Contains_TheDayTwelveMonthsBefore_IsFalseAndTheDayAfterIsTrue()
    {
        var window = BulkWindow.EndingOn(new LocalDate(2022, 6, 30));

        Assert.False(window.Contains(new LocalDate(2021, 6, 30)));
        Assert.True(window.Contains(new LocalDate(2021, 7, 1)));
        Assert.True(window.Contains(new LocalDate(2022, 6, 30)));
        Assert.False(window.Contains(new LocalDate(2022, 7, 1)));
    }

    [Fact]
    public void EndingOn_EveryDateOfFourYears_Spans365Or366DaysAndNeverOverlapsTheSameDateAYearEarlier()
    {
        for (var end = new LocalDate(2023, 1, 1); end <= new LocalDate(2026, 12, 31); end = end.PlusDays(1))
        {
            var window = BulkWindow.EndingOn(end);

            Assert.InRange(window.Days, 365, 366);
            Assert.False(window.Contains(end.PlusYears(-1)));
            Assert.True(window.Contains(end.PlusYears(-1).PlusDays(1)));
        }
    }
}
