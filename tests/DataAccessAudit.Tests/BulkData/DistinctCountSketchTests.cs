using System.Text;
using DataAccessAudit.BulkData;

namespace DataAccessAudit.Tests.BulkData;

public sealed class DistinctCountSketchTests
{
    // Three standard errors: the bound the documentation states for practically every count.
    private const double StatedBound = 3 * DistinctCountSketch.RelativeStandardError;

    [Fact]
    public void Count_UpToTheExactLimit_IsExactAndIgnoresRepeats()
    {
        var sketch = new DistinctCountSketch();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < DistinctCountSketch.ExactLimit; i++)
            {
                sketch.AddKey($"subject-{i}");
            }
        }

        Assert.True(sketch.IsExact);
        Assert.Equal(DistinctCountSketch.ExactLimit, sketch.Count);
    }

    [Fact]
    public void Count_OnePastTheExactLimit_Estimates()
    {
        var sketch = Keys(0, DistinctCountSketch.ExactLimit + 1);

        Assert.False(sketch.IsExact);
        Assert.InRange(sketch.Count, (DistinctCountSketch.ExactLimit + 1) * (1 - StatedBound), (DistinctCountSketch.ExactLimit + 1) * (1 + StatedBound));
    }

    [Fact]
    public void Count_OfEmptySketch_IsZero()
    {
        Assert.Equal(0, new DistinctCountSketch().Count);
        Assert.True(new DistinctCountSketch().IsExact);
    }

    [Fact]
    public void Count_OfTenMillionSyntheticKeys_IsWithinTheStatedError()
    {
        const int n = 10_000_000;
        var sketch = Keys(0, n);

        Assert.False(sketch.IsExact);
        var error = Math.Abs(sketch.Count - n) / (double)n;
        Assert.True(error <= StatedBound, $"estimate {sketch.Count} for {n} keys: {error:P3} off, stated bound {StatedBound:P3}");
    }

    [Theory]
    [InlineData(3_000)]
    [InlineData(10_001)]
    [InlineData(40_000)]
    [InlineData(100_001)]
    [InlineData(1_000_000)]
    public void Count_AcrossTheThresholdRange_IsWithinTheStatedError(int n)
    {
        // Each size with keys of its own, so the cases are independent draws.
        var sketch = Keys(n, n);

        var error = Math.Abs(sketch.Count - n) / (double)n;
        Assert.True(error <= StatedBound, $"estimate {sketch.Count} for {n} keys: {error:P3} off");
    }

    [Fact]
    public void UnionWith_DaysMergedIntoAWindow_EqualsCountingAllKeysAtOnce()
    {
        // 30 "days" of 3,000 keys each, overlapping by half: exact days, an estimated union.
        var atOnce = new DistinctCountSketch();
        var window = new DistinctCountSketch();
        for (var day = 0; day < 30; day++)
        {
            var daily = new DistinctCountSketch();
            for (var i = day * 1_500; i < (day * 1_500) + 3_000; i++)
            {
                daily.AddKey($"person-{i}");
                atOnce.AddKey($"person-{i}");
            }

            window.UnionWith(daily);
        }

        Assert.Equal(atOnce.ToByteArray(), window.ToByteArray());
        Assert.Equal(atOnce.Count, window.Count);
    }

    [Fact]
    public void UnionWith_InAnyOrder_GivesTheSameSketch()
    {
        var small = Keys(0, 500);
        var large = Keys(100, 50_000);

        var a = small.Clone();
        a.UnionWith(large);
        var b = large.Clone();
        b.UnionWith(small);

        Assert.Equal(a.ToByteArray(), b.ToByteArray());
        Assert.Equal(Keys(0, 50_100).ToByteArray(), a.ToByteArray());
    }

    [Fact]
    public void UnionWith_TwoExactSketches_StaysExactBelowTheLimit()
    {
        var a = Keys(0, 600);
        a.UnionWith(Keys(300, 600));

        Assert.True(a.IsExact);
        Assert.Equal(900, a.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(5_000)]
    public void ToByteArray_ThenFromBytes_GivesTheSameCount(int n)
    {
        var sketch = Keys(0, n);

        var copy = DistinctCountSketch.FromBytes(sketch.ToByteArray());

        Assert.Equal(sketch.Count, copy.Count);
        Assert.Equal(sketch.IsExact, copy.IsExact);
        Assert.Equal(sketch.ToByteArray(), copy.ToByteArray());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 9, 0 })]
    [InlineData(new byte[] { 1, 0, 5, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 1, 3 })]
    [InlineData(new byte[] { 1, 7, 0, 0, 0, 0 })]
    public void FromBytes_NotASketch_ThrowsFormatExceptionSayingWhy(byte[] bytes)
    {
        var exception = Assert.Throws<FormatException>(() => DistinctCountSketch.FromBytes(bytes));

        Assert.StartsWith("Not a distinct-count sketch", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_OfAStringAndOfItsUtf8Bytes_Agree()
    {
        const string key = "hmac:Zm9vYmFyLWJhei1xdXV4LcOk";

        Assert.Equal(DistinctCountSketch.Hash(Encoding.UTF8.GetBytes(key)), DistinctCountSketch.Hash(key));
        Assert.Equal(DistinctCountSketch.Hash(new string('k', 1_000)), DistinctCountSketch.Hash(Encoding.UTF8.GetBytes(new string('k', 1_000))));
    }

    private static DistinctCountSketch Keys(int first, int count)
    {
        var sketch = new DistinctCountSketch();
        Span<byte> buffer = stackalloc byte[32];
        "key-"u8.CopyTo(buffer);
        for (var i = first; i < first + count; i++)
        {
            i.TryFormat(buffer[4..], out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
            sketch.AddKey(buffer[..(4 + written)]);
        }

        return sketch;
    }
}
