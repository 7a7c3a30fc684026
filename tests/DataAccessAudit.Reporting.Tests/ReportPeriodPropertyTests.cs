using DataAccessAudit.Interchange;
using DataAccessAudit.Reporting.Aggregation;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;
using static DataAccessAudit.Reporting.Tests.EventLines;

namespace DataAccessAudit.Reporting.Tests;

// Every zone of TZDB, every date pair from 0001-01-01 to 9999-12-31 and every instant an event can carry: building a
// period, placing an event on a local day and building a report never throw, and they agree with NodaTime.
public sealed class ReportPeriodPropertyTests
{
    private static readonly DateTimeZone[] Zones = [.. DateTimeZoneProviders.Tzdb.Ids.Select(id => DateTimeZoneProviders.Tzdb[id])];

    private static readonly int MinDay = LocalDayCalendar.DayNumberOf(ReportPeriod.MinDate);
    private static readonly int MaxDay = LocalDayCalendar.DayNumberOf(ReportPeriod.MaxDate);

    private static readonly long MinTicks = Instant.FromUtc(1, 1, 1, 0, 0).ToUnixTimeTicks();
    private static readonly long MaxTicks = Instant.MaxValue.ToUnixTimeTicks();

    // Dates weighted toward the edges of the range and the zones' transitions, where the bugs are.
    private static Gen<LocalDate> DateGen { get; } = Gen.Frequency(
        (6, Gen.Choose(MinDay, MaxDay).Select(LocalDayCalendar.DateOf)),
        (1, Gen.Elements(ReportPeriod.MinDate, ReportPeriod.MinDate.PlusDays(1), ReportPeriod.MaxDate, ReportPeriod.MaxDate.PlusDays(-1))),
        (1, Gen.Elements(new LocalDate(2011, 12, 29), new LocalDate(2011, 12, 30), new LocalDate(2011, 12, 31), new LocalDate(1995, 1, 1), new LocalDate(1883, 11, 18))));

    private static Gen<Instant> InstantGen { get; } = Gen.Frequency(
        (6, TicksBetween(MinTicks, MaxTicks).Select(Instant.FromUnixTimeTicks)),
        (1, TicksBetween(MinTicks, MinTicks + (2 * NodaConstants.TicksPerDay)).Select(Instant.FromUnixTimeTicks)),
        (1, TicksBetween(MaxTicks - (2 * NodaConstants.TicksPerDay), MaxTicks).Select(Instant.FromUnixTimeTicks)));

    // Any tick in [low, high], from two generated ints (FsCheck chooses ints).
    private static Gen<long> TicksBetween(long low, long high) =>
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        select low + (long)((decimal)(high - low) * ((((decimal)a * int.MaxValue) + b) / (((decimal)int.MaxValue * int.MaxValue) + int.MaxValue)));

    private static Gen<DateTimeZone> ZoneGen { get; } = Gen.Frequency(
        (8, Gen.Elements(Zones)),
        (1, Gen.Elements(DateTimeZoneProviders.Tzdb["Pacific/Apia"], DateTimeZoneProviders.Tzdb["Pacific/Kiritimati"], DateTimeZoneProviders.Tzdb["Asia/Shanghai"], DateTimeZoneProviders.Tzdb["America/Los_Angeles"])));

    private static Arbitrary<(LocalDate From, LocalDate To, DateTimeZone Zone)> Periods { get; } =
        (from a in DateGen
         from b in DateGen
         from zone in ZoneGen
         select (a <= b ? a : b, a <= b ? b : a, zone)).ToArbitrary();

    private static Arbitrary<(Instant Instant, DateTimeZone Zone)> Placements { get; } =
        (from instant in InstantGen
         from zone in ZoneGen
         select (instant, zone)).ToArbitrary();

    [Property(MaxTest = 3000)]
    public Property Create_AnyDatesInAnyZone_StartsEachDateAtItsEarliestInstant() =>
        Prop.ForAll(Periods, p =>
        {
            var period = ReportPeriod.Create(p.From, p.To, p.Zone);
            var from = period.FromInstant!.Value;

            // The start maps to the date (or, for a date the zone skips, to a later one), and nothing earlier is on it.
            var startDate = from.InZone(p.Zone).Date;
            var earlier = from - Duration.Epsilon;
            var ok = startDate >= p.From && (earlier < Instant.MinValue || earlier.InZone(p.Zone).Date < p.From || from.ToUnixTimeTicks() <= MinTicks);
            return ok && (period.ToInstant is not { } to || from <= to) && (period.ToInstant is not null || p.Zone.GetUtcOffset(Instant.MaxValue) <= Offset.Zero);
        });

    [Property(MaxTest = 3000)]
    public Property DayNumberOf_AnyPlaceableInstant_IsItsLocalDate() =>
        Prop.ForAll(Placements, p =>
        {
            var builder = new AccessReportBuilder(new AccessReportOptions { Period = ReportPeriod.All(p.Zone) });
            var ticks = p.Instant.ToUnixTimeTicks();
            var local = LocalDayNumber(p.Instant, p.Zone);
            if (!builder.CanPlace(ticks))
            {
                return local < MinDay || local > MaxDay;
            }

            return local >= MinDay && local <= MaxDay && new LocalDayCalendar(p.Zone).DayNumberOf(ticks) == local
                && LocalDayCalendar.DateOf((int)local) == p.Instant.InZone(p.Zone).Date;
        });

    // Periods of a few days around the event (a period of every date would list 3.6 million days).
    private static Arbitrary<(Instant Instant, DateTimeZone Zone, int Before, int After)> EventsAndPeriods { get; } =
        (from instant in InstantGen
         from zone in ZoneGen
         from before in Gen.Choose(-2, 3)
         from after in Gen.Choose(-2, 3)
         select (instant, zone, before, after)).ToArbitrary();

    [Property(MaxTest = 400)]
    public Property Build_AnyEventInAnyPeriodAndZone_NeverThrowsAndCountsOrReportsIt() =>
        Prop.ForAll(EventsAndPeriods, p =>
        {
            var localDay = LocalDayNumber(p.Instant, p.Zone);
            var placeable = localDay >= MinDay && localDay <= MaxDay;
            var day = (int)Math.Clamp(localDay, MinDay, MaxDay);
            var from = LocalDayCalendar.DateOf(Math.Clamp(day - p.Before, MinDay, MaxDay));
            var to = LocalDayCalendar.DateOf(Math.Clamp(day + p.After, MinDay, MaxDay));
            var bounded = ReportPeriod.Create(from <= to ? from : to, from <= to ? to : from, p.Zone);
            var line = Line(InstantPattern.ExtendedIso.Format(p.Instant));
            foreach (var period in new[] { bounded, ReportPeriod.All(p.Zone) })
            {
                var options = new AccessReportOptions { Period = period };
                var sequential = Report(options, line);
                var fromFile = ReportFromFile(options, line);
                var expectedEvents = period.Contains(p.Instant) && placeable ? 1 : 0;
                var expectedProblems = placeable ? 0 : 1;
                if (sequential.Totals.Counts.Events != expectedEvents || fromFile.Totals.Counts.Events != expectedEvents ||
                    sequential.InputProblemCount != expectedProblems || fromFile.InputProblemCount != expectedProblems)
                {
                    return false;
                }

                if (period.To is { } last && sequential.Daily.Count != Period.DaysBetween(period.From!.Value, last) + 1)
                {
                    return false;
                }
            }

            return true;
        });

    [Theory]
    [InlineData("Asia/Shanghai", "9999-12-31T20:00:00Z")]
    [InlineData("America/Los_Angeles", "0001-01-01T03:00:00Z")]
    public void Build_EventWhoseLocalDateIsBeyondTheCalendar_IsAnInputProblemOfItsLine(string zone, string time)
    {
        var options = new AccessReportOptions { Period = ReportPeriod.All(DateTimeZoneProviders.Tzdb[zone]) };

        var report = ReportFromFile(options, Line("2021-09-01T00:00:00Z"), Line(time));

        Assert.Equal(1, report.Totals.Counts.Events);
        var problem = Assert.Single(report.InputProblems);
        Assert.Equal(2, problem.Line);
        Assert.Equal($"time {time} falls on a local date in {zone} outside 0001-01-01 to 9999-12-31, the dates a report can show; the event is not counted", problem.Message);
    }

    [Theory]
    [InlineData("Pacific/Apia", "9999-12-31T14:30:59Z")]
    [InlineData("America/Los_Angeles", "0001-01-01T03:00:00Z")]
    public void Build_EventWhoseLocalDateIsBeyondTheCalendar_IsAnInputProblemOutsideThePeriodToo(string zone, string time)
    {
        var period = ReportPeriod.Create(new LocalDate(2021, 1, 1), new LocalDate(2021, 1, 31), DateTimeZoneProviders.Tzdb[zone]);
        var options = new AccessReportOptions { Period = period };
        var message = $"time {time} falls on a local date in {zone} outside 0001-01-01 to 9999-12-31, the dates a report can show; the event is not counted";

        foreach (var report in new[] { ReportFromFile(options, Line("2021-01-10T00:00:00Z"), Line(time)), Report(options, Line("2021-01-10T00:00:00Z"), Line(time)) })
        {
            Assert.Equal(1, report.Totals.Counts.Events);
            Assert.Equal(0, report.EventsOutsidePeriod);
            Assert.Equal(1, report.InputProblemCount);
            Assert.Equal(message, Assert.Single(report.InputProblems).Message);
        }
    }

    [Fact]
    public void Build_InMonctonWhenClocksGoBackAcrossMidnight_DailyAddsUpToTheTotals()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Moncton"];
        var date = new LocalDate(2005, 10, 30);
        var options = new AccessReportOptions { Period = ReportPeriod.Create(date, date, zone) };
        string[] lines = [Line("2005-10-30T02:59:00Z"), Line("2005-10-30T03:00:30Z"), Line("2005-10-30T03:30:00Z"), Line("2005-10-30T04:30:00Z")];

        foreach (var report in new[] { ReportFromFile(options, lines), Report(options, lines) })
        {
            Assert.Equal(Instant.FromUtc(2005, 10, 30, 3, 0), report.Period.FromInstant);
            Assert.Equal(Instant.FromUtc(2005, 10, 31, 4, 0), report.Period.ToInstant);
            Assert.Equal(3, report.Totals.Counts.Events);
            var daily = Assert.Single(report.Daily);
            Assert.Equal((date, 3L), (daily.Date, daily.Counts.Events));
        }
    }

    [Theory]
    [InlineData("America/Moncton", 2005, 10, 30)]
    [InlineData("America/Sitka", 1867, 10, 18)]
    [InlineData("America/Sitka", 1867, 10, 19)]
    [InlineData("Pacific/Apia", 2011, 12, 30)]
    [InlineData("Europe/London", 2021, 10, 31)]
    public void Build_AroundAClockChange_EachEventCountsOnTheDayWhoseIntervalHoldsIt_AndDailyAddsUpToTheTotals(string zoneId, int year, int month, int day)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var date = new LocalDate(year, month, day);
        var first = date.PlusDays(-1);
        var last = date.PlusDays(1);
        var times = new List<Instant>();
        for (var t = ReportPeriod.StartOf(first.PlusDays(-1), zone); t < ReportPeriod.StartOf(last.PlusDays(2), zone); t += Duration.FromMinutes(17))
        {
            times.Add(t);
        }

        var options = new AccessReportOptions { Period = ReportPeriod.Create(first, last, zone) };
        var lines = times.Select(t => Line(InstantPattern.ExtendedIso.Format(t))).ToArray();

        foreach (var report in new[] { ReportFromFile(options, lines), Report(options, lines) })
        {
            Assert.Equal(report.Totals.Counts.Events, report.Daily.Sum(d => d.Counts.Events));
            foreach (var row in report.Daily)
            {
                var (start, end) = (ReportPeriod.StartOf(row.Date, zone), ReportPeriod.StartOf(row.Date.PlusDays(1), zone));
                Assert.Equal(times.Count(t => t >= start && t < end), row.Counts.Events);
            }
        }
    }

    [Fact]
    public void Create_ToTheLastDateWestOfUtc_HasNoEndInstantAndCountsTheLastEvent()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];
        var period = ReportPeriod.Create(new LocalDate(9999, 12, 31), new LocalDate(9999, 12, 31), zone);

        var report = ReportFromFile(new AccessReportOptions { Period = period }, Line("9999-12-31T23:59:59.999999999Z"));

        Assert.Null(period.ToInstant);
        Assert.Equal(Instant.FromUtc(9999, 12, 31, 8, 0), period.FromInstant);
        Assert.Equal(1, report.Totals.Counts.Events);
    }

    [Fact]
    public void Create_ToTheLastDateEastOfUtc_EndsAtItsLocalMidnight()
    {
        var period = ReportPeriod.Create(null, new LocalDate(9999, 12, 31), DateTimeZoneProviders.Tzdb["Asia/Shanghai"]);

        Assert.Equal(Instant.FromUtc(9999, 12, 31, 16, 0), period.ToInstant);
    }

    [Fact]
    public void Create_DateTheZoneSkips_HasZeroLengthAndIsListedWithZeros()
    {
        var apia = DateTimeZoneProviders.Tzdb["Pacific/Apia"];
        var skipped = new LocalDate(2011, 12, 30);

        var period = ReportPeriod.Create(skipped, skipped, apia);
        var report = ReportFromFile(new AccessReportOptions { Period = ReportPeriod.Create(new LocalDate(2011, 12, 29), new LocalDate(2011, 12, 31), apia) }, Line("2011-12-30T10:00:00Z"));

        Assert.Equal(period.FromInstant, period.ToInstant);
        Assert.Equal(Instant.FromUtc(2011, 12, 30, 10, 0), period.FromInstant);
        Assert.Equal([new LocalDate(2011, 12, 29), skipped, new LocalDate(2011, 12, 31)], report.Daily.Select(d => d.Date));
        Assert.Equal([0L, 0L, 1L], report.Daily.Select(d => d.Counts.Events));
    }

    [Fact]
    public void Create_DateBeforeYearOne_IsRejectedNamingTheRange()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => ReportPeriod.Create(new LocalDate(0, 12, 31), null, DateTimeZone.Utc));

        Assert.Contains("expected an ISO date from 0001-01-01 to 9999-12-31", exception.Message, StringComparison.Ordinal);
    }

    // The local day number of an instant, by the zone's offset, even where the date is outside NodaTime's calendar.
    private static long LocalDayNumber(Instant instant, DateTimeZone zone) =>
        Math.DivRem(instant.ToUnixTimeTicks() + zone.GetUtcOffset(instant).Ticks, NodaConstants.TicksPerDay) is var (q, r) && r < 0 ? q - 1 : q;

    private static AccessReport ReportFromFile(AccessReportOptions options, params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"period-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, string.Join('\n', lines) + "\n");
            var builder = new AccessReportBuilder(options);
            DataAccessAudit.Reporting.Sources.JsonLinesReportReader.Read([path], builder, maxDegreeOfParallelism: 1);
            return builder.Build(ReportIntegrity.Unverified);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
