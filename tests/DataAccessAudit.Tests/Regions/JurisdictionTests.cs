using DataAccessAudit.Regions;

namespace DataAccessAudit.Tests.Regions;

public sealed class JurisdictionTests
{
    [Fact]
    public void UnitedStates_Always_HoldsTheStatesAndTheTerritories()
    {
        var us = Jurisdiction.UnitedStates;

        Assert.Equal("US", us.Name);
        Assert.Equal(["AS", "GU", "MP", "PR", "UM", "US", "VI"], us.Regions.Select(r => r.Code));
    }

    [Fact]
    public void EuropeanEconomicArea_Always_HoldsThe27MemberStatesAndIcelandLiechtensteinNorway()
    {
        var eea = Jurisdiction.EuropeanEconomicArea;

        Assert.Equal("EEA", eea.Name);
        Assert.Equal(30, eea.Regions.Count);
        Assert.All(["DE", "FR", "IE", "IS", "LI", "NO", "HR", "CY"], code => Assert.True(eea.Contains(Region.Parse(code)), code));
        Assert.All(["GB", "CH", "US", "TR"], code => Assert.False(eea.Contains(Region.Parse(code)), code));
    }

    [Fact]
    public void CountriesOfConcern_Always_HoldsThe2024UsList()
    {
        var concern = Jurisdiction.CountriesOfConcern;

        Assert.Equal("countries-of-concern", concern.Name);
        Assert.Equal(["CN", "CU", "HK", "IR", "KP", "MO", "RU", "VE"], concern.Regions.Select(r => r.Code));
        Assert.False(concern.Contains(Region.Parse("TW")));
    }

    [Fact]
    public void Contains_Unknown_IsFalseForEveryPreset()
    {
        Assert.False(Jurisdiction.UnitedStates.Contains(Region.Unknown));
        Assert.False(Jurisdiction.EuropeanEconomicArea.Contains(Region.Unknown));
        Assert.False(Jurisdiction.CountriesOfConcern.Contains(Region.Unknown));
    }

    [Fact]
    public void Constructor_UserDefinedWithDuplicates_KeepsEachRegionOnceSorted()
    {
        var apac = new Jurisdiction("APAC", [Region.Parse("SG"), Region.Parse("JP"), Region.Parse("sg")]);

        Assert.Equal("APAC", apac.Name);
        Assert.Equal("APAC", apac.ToString());
        Assert.Equal(["JP", "SG"], apac.Regions.Select(r => r.Code));
        Assert.True(apac.Contains(Region.Parse("JP")));
        Assert.False(apac.Contains(Region.Parse("CN")));
    }

    [Fact]
    public void Constructor_NoRegions_ThrowsNamingTheJurisdiction()
    {
        var exception = Assert.Throws<ArgumentException>(() => new Jurisdiction("empty", []));

        Assert.Contains("'empty'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownRegion_ThrowsNamingTheJurisdiction()
    {
        var exception = Assert.Throws<ArgumentException>(() => new Jurisdiction("somewhere", [Region.Parse("US"), Region.Unknown]));

        Assert.Contains("'somewhere'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ZZ", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Constructor_BlankName_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => new Jurisdiction(name, [Region.Parse("US")]));
}
