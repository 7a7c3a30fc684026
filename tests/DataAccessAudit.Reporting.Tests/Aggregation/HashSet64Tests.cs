using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class HashSet64Tests
{
    [Fact]
    public void Add_ManyValuesWithDuplicates_CountsDistinct()
    {
        var set = new HashSet64();
        var random = new Random(5);
        var reference = new HashSet<ulong>();
        for (var i = 0; i < 50_000; i++)
        {
            var value = (ulong)random.NextInt64(0, 20_000) * 0x9E3779B97F4A7C15UL;
            set.Add(value);
            reference.Add(value == 0 ? 1 : value);
        }

        Assert.Equal(reference.Count, set.Count);
    }

    [Fact]
    public void Add_Zero_IsCountedOnce()
    {
        var set = new HashSet64();

        set.Add(0);
        set.Add(0);

        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void UnionWith_OverlappingSets_CountsUnion()
    {
        var a = new HashSet64();
        var b = new HashSet64();
        for (ulong i = 1; i <= 3000; i++)
        {
            a.Add(i * 0x9E3779B97F4A7C15UL);
        }

        for (ulong i = 2001; i <= 5000; i++)
        {
            b.Add(i * 0x9E3779B97F4A7C15UL);
        }

        a.UnionWith(b);

        Assert.Equal(5000, a.Count);
    }
}
