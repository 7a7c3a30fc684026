using DataAccessAudit.Reporting.Formats;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataAccessAudit.Reporting.Tests.Formats;

// A chart's count axis on round ticks: 1, 2 or 5 times a power of ten, from 0 to a round number at or just above the
// largest value, 3 to 7 ticks, for every value a report can hold.
public sealed class AxisTicksTests
{
    [Theory]
    [InlineData(0L, new long[] { 0, 1, 2 })]
    [InlineData(1L, new long[] { 0, 1, 2 })]
    [InlineData(3L, new long[] { 0, 1, 2, 3 })]
    [InlineData(6L, new long[] { 0, 1, 2, 3, 4, 5, 6 })]
    [InlineData(7L, new long[] { 0, 2, 4, 6, 8 })]
    [InlineData(100L, new long[] { 0, 20, 40, 60, 80, 100 })]
    [InlineData(101L, new long[] { 0, 20, 40, 60, 80, 100, 120 })]
    [InlineData(1_234L, new long[] { 0, 500, 1_000, 1_500 })]
    [InlineData(9_999L, new long[] { 0, 2_000, 4_000, 6_000, 8_000, 10_000 })]
    public void For_Examples(long max, long[] expected) => Assert.Equal(expected, AxisTicks.For(max).Values);

    [Property(MaxTest = 5000)]
    public Property For_AnyMax_IsRound_CoversIt_AndHasThreeToSevenTicks() =>
        Prop.ForAll(Maxima, max =>
        {
            var ticks = AxisTicks.For(max);
            var values = ticks.Values.ToList();
            return IsRound(ticks.Step)
                && values[0] == 0
                && values[^1] == ticks.Top
                && values.Zip(values.Skip(1), (a, b) => b - a).All(d => d == ticks.Step)
                && ticks.Top >= max
                && values.Count is >= 3 and <= 7
                && values.Count == ticks.Count
                // Just above the data: one step less would not reach it (unless the axis is at its shortest).
                && (ticks.Top - ticks.Step < max || values.Count == 3);
        });

    [Fact]
    public void For_NegativeOrHuge_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.For(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.For(AxisTicks.Largest + 1));
        Assert.Equal(AxisTicks.Largest, AxisTicks.For(AxisTicks.Largest).Top);
    }

    // Small values, values around each power of ten and any value up to the largest.
    private static Arbitrary<long> Maxima { get; } = Gen.Frequency(
        (3, Gen.Choose(0, 1000).Select(i => (long)i)),
        (2, from exponent in Gen.Choose(0, 18)
            from offset in Gen.Choose(-3, 3)
            select Math.Clamp((long)Math.Pow(10, exponent) + offset, 0, AxisTicks.Largest)),
        (3, from a in Gen.Choose(0, int.MaxValue)
            from b in Gen.Choose(0, int.MaxValue)
            select (long)(AxisTicks.Largest * ((((decimal)a * int.MaxValue) + b) / (((decimal)int.MaxValue * int.MaxValue) + int.MaxValue)))))
        .ToArbitrary();

    private static bool IsRound(long step)
    {
        while (step % 10 == 0)
        {
            step /= 10;
        }

        return step is 1 or 2 or 5;
    }
}
