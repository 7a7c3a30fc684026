using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class NameTableTests
{
    [Fact]
    public void GetOrAdd_ManyNames_KeepsEachCountAcrossTheSwitchToAnIndex()
    {
        var table = new NameTable<long>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 40; i++)
            {
                // New string instances each round: lookups must not depend on reference equality.
                table.GetOrAdd(string.Concat("finding-", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))++;
            }
        }

        Assert.Equal(40, table.Count);
        for (var i = 0; i < table.Count; i++)
        {
            Assert.Equal(3, table.ValueAt(i));
        }
    }
}
