using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting.Tests;

public sealed class AccessCountsTests
{
    [Fact]
    public void Add_SumsEachFieldApart()
    {
        var sum = new AccessCounts(10, 4, 3, 2, 1) + new AccessCounts(100, 40, 30, 20, 10);

        Assert.Equal(new AccessCounts(110, 44, 33, 22, 11), sum);
    }

    [Fact]
    public void Default_IsZero_AndTheIdentityOfAdd()
    {
        var counts = new AccessCounts(5, 1, 2, 1, 1);

        Assert.Equal(new AccessCounts(0, 0, 0, 0, 0), default(AccessCounts));
        Assert.Equal(counts, counts + default(AccessCounts));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(7, true)]
    public void RegionPairCount_CrossBorder_SaysWhetherAnyEventOfThePairCrossed(long crossBorder, bool expected)
    {
        var pair = new RegionPairCount(Region.Parse("CN"), Region.Parse("US"), new AccessCounts(7, crossBorder, 0, 0, 0));

        Assert.Equal(expected, pair.CrossBorder);
    }
}
