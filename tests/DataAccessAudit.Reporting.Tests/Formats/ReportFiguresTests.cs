using System.Globalization;
using DataAccessAudit.Reporting.Formats;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataAccessAudit.Reporting.Tests.Formats;

// The one way the human formats write numbers: grouped counts, percentages that never read as a figure they are
// not, sizes, compact chart labels and nouns in the right number, the same under any current culture.
public sealed class ReportFiguresTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(999L, "999")]
    [InlineData(1_000L, "1,000")]
    [InlineData(1_204_311L, "1,204,311")]
    [InlineData(-12_345L, "-12,345")]
    public void Count_GroupsThousands(long value, string expected) => Assert.Equal(expected, ReportFigures.Count(value));

    [Fact]
    public void Count_IsTheSameUnderAnyCurrentCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { "de-DE", "fr-FR", "hi-IN", "ar-SA" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
                Assert.Equal("1,234,567", ReportFigures.Count(1_234_567));
                Assert.Equal("12%", ReportFigures.Percent(12, 100));
                Assert.Equal("0.5%", ReportFigures.Percent(1, 200));
                Assert.Equal("1.5 MB", ReportFigures.Size(1_500_000));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(0L, "0 events")]
    [InlineData(1L, "1 event")]
    [InlineData(2L, "2 events")]
    [InlineData(1_001L, "1,001 events")]
    public void Count_WithNouns_UsesTheSingularForOneOnly(long count, string expected) =>
        Assert.Equal(expected, ReportFigures.Count(count, "event", "events"));

    [Theory]
    [InlineData(0L, 0L, "0%")]
    [InlineData(0L, 10L, "0%")]
    [InlineData(10L, 10L, "100%")]
    [InlineData(1L, 4L, "25%")]
    [InlineData(1L, 3L, "33%")]
    [InlineData(2L, 3L, "67%")]
    [InlineData(1L, 200L, "0.5%")]
    [InlineData(199L, 200L, "99.5%")]
    [InlineData(1L, 1_000_000L, "<0.1%")]
    [InlineData(999_999L, 1_000_000L, ">99.9%")]
    [InlineData(99L, 10_000L, "0.9%")]
    [InlineData(9_901L, 10_000L, "99.0%")]
    [InlineData(1L, 100L, "1%")]
    [InlineData(99L, 100L, "99%")]
    public void Percent_FollowsOneRule(long part, long whole, string expected) =>
        Assert.Equal(expected, ReportFigures.Percent(part, whole));

    [Theory]
    [InlineData(2.5, "250%")]
    [InlineData(1.0001, "100.1%")]
    [InlineData(1.0, "100%")]
    [InlineData(0.0081, "0.8%")]
    public void Percent_OfAFraction_NeverReadsAsTheWholeWhenPastIt(double fraction, string expected) =>
        Assert.Equal(expected, ReportFigures.Percent(fraction));

    [Fact]
    public void Percent_OfNotANumber_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportFigures.Percent(double.NaN));

    // Whatever the part and the whole, a share never reads as none unless it is none, never as all unless it is all,
    // and its number is within the rounding of the true share.
    [Property(MaxTest = 2000)]
    public Property Percent_NeverReadsAsNoneOrAllUnlessItIs() =>
        Prop.ForAll(Parts, p =>
        {
            var (part, whole) = p;
            var text = ReportFigures.Percent(part, whole);
            var truth = 100.0 * part / whole;
            var number = double.Parse(text.TrimStart('<', '>').TrimEnd('%'), CultureInfo.InvariantCulture);
            return (text == "0%") == (part == 0)
                && (text == "100%") == (part == whole)
                && Math.Abs(number - truth) <= 0.5 + 1e-9;
        });

    private static Arbitrary<(long Part, long Whole)> Parts { get; } =
        (from whole in Gen.Frequency((3, Gen.Choose(1, 1000)), (2, Gen.Choose(1, int.MaxValue)))
         from part in Gen.Frequency(
             (4, Gen.Choose(0, whole)),
             (1, Gen.Elements(0, 1, whole - 1 < 0 ? 0 : whole - 1, whole)))
         select ((long)part, (long)whole)).ToArbitrary();

    [Theory]
    [InlineData(0L, "0 bytes")]
    [InlineData(1L, "1 byte")]
    [InlineData(999L, "999 bytes")]
    [InlineData(1_000L, "1.0 kB")]
    [InlineData(8_449L, "8.4 kB")]
    [InlineData(99_949L, "99.9 kB")]
    [InlineData(99_950L, "100 kB")]
    [InlineData(999_499L, "999 kB")]
    [InlineData(999_500L, "1.0 MB")]
    [InlineData(875_000_000L, "875 MB")]
    [InlineData(long.MaxValue, "9.2 EB")]
    public void Size_UsesDecimalUnits(long bytes, string expected) => Assert.Equal(expected, ReportFigures.Size(bytes));

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(950L, "950")]
    [InlineData(1_500L, "1.5k")]
    [InlineData(9_940L, "9.9k")]
    [InlineData(9_960L, "10k")]
    [InlineData(12_345L, "12k")]
    [InlineData(999_499L, "999k")]
    [InlineData(999_500L, "1M")]
    [InlineData(2_500_000L, "2.5M")]
    [InlineData(3_000_000_000L, "3B")]
    public void Compact_FitsChartLabels(long value, string expected) => Assert.Equal(expected, ReportFigures.Compact(value));
}
