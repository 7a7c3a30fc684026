using DataAccessAudit.Regions;
using NodaTime.TimeZones;

namespace DataAccessAudit.Tests.Regions;

public sealed class TimeZoneRegionResolverTests
{
    private static readonly TimeZoneRegionResolver Resolver = TimeZoneRegionResolver.Default;

    [Theory]
    [InlineData("Asia/Shanghai", "CN")]
    [InlineData("America/Puerto_Rico", "PR")]
    [InlineData("America/New_York", "US")]
    [InlineData("America/Los_Angeles", "US")]
    [InlineData("Pacific/Guam", "GU")]
    [InlineData("Asia/Singapore", "SG")]
    [InlineData("Asia/Hong_Kong", "HK")]
    [InlineData("Europe/London", "GB")]
    [InlineData("Europe/Dublin", "IE")]
    [InlineData("Europe/Amsterdam", "NL")]
    [InlineData("Europe/Oslo", "NO")]
    [InlineData("Europe/Moscow", "RU")]
    [InlineData("Asia/Tehran", "IR")]
    [InlineData("America/Havana", "CU")]
    [InlineData("Asia/Kolkata", "IN")]
    [InlineData("Australia/Sydney", "AU")]
    public void Resolve_GeographicZone_GivesItsCountry(string zoneId, string expected)
    {
        Assert.Equal(expected, Resolver.Resolve(zoneId).Code);
        Assert.True(Resolver.TryResolve(zoneId, out var region));
        Assert.Equal(expected, region.Code);
    }

    [Theory]
    [InlineData("US/Eastern", "US")]
    [InlineData("US/Pacific", "US")]
    [InlineData("Asia/Chongqing", "CN")]
    [InlineData("Asia/Calcutta", "IN")]
    [InlineData("PRC", "CN")]
    [InlineData("Japan", "JP")]
    public void Resolve_Alias_GivesTheCountryOfItsCanonicalZone(string zoneId, string expected) =>
        Assert.Equal(expected, Resolver.Resolve(zoneId).Code);

    [Theory]
    [InlineData("asia/shanghai", "CN")]
    [InlineData("AMERICA/PUERTO_RICO", "PR")]
    public void Resolve_OtherCase_GivesTheSameCountry(string zoneId, string expected) =>
        Assert.Equal(expected, Resolver.Resolve(zoneId).Code);

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("CN")]
    [InlineData("America/NewYork")]
    public void Resolve_UnknownZone_ThrowsNamingTheZone(string zoneId)
    {
        var exception = Assert.Throws<ArgumentException>(() => Resolver.Resolve(zoneId));

        Assert.Contains($"'{zoneId}' is not a time zone id of TZDB", exception.Message, StringComparison.Ordinal);
        Assert.False(Resolver.TryResolve(zoneId, out var region));
        Assert.True(region.IsUnknown);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    [InlineData("Etc/GMT+3")]
    [InlineData("GMT")]
    public void Resolve_ZoneWithoutLocation_ThrowsSayingItLiesInNoCountry(string zoneId)
    {
        var exception = Assert.Throws<ArgumentException>(() => Resolver.Resolve(zoneId));

        Assert.Contains($"Time zone '{zoneId}' lies in no country", exception.Message, StringComparison.Ordinal);
        Assert.False(Resolver.TryResolve(zoneId, out _));
    }

    [Fact]
    public void Resolve_Null_ThrowsAndTryResolveIsFalse()
    {
        Assert.Throws<ArgumentNullException>(() => Resolver.Resolve(null!));
        Assert.False(Resolver.TryResolve(null, out _));
    }

    [Fact]
    public void Resolve_EveryZoneLocation_GivesAKnownRegion()
    {
        var source = TzdbDateTimeZoneSource.Default;

        Assert.Equal(source.TzdbVersion, Resolver.TzdbVersion);
        Assert.All(source.ZoneLocations!, location => Assert.Equal(location.CountryCode, Resolver.Resolve(location.ZoneId).Code));
    }

    [Fact]
    public void TryResolve_ThroughTheAbstraction_TellsTheRegionOrUnknown()
    {
        Assert.Equal(Region.Parse("CN"), ResolveOrUnknown(Resolver, "Asia/Shanghai"));
        Assert.Equal(Region.Unknown, ResolveOrUnknown(Resolver, "UTC"));
        Assert.Equal(Region.Parse("SG"), ResolveOrUnknown(new CountryClaimResolver(), new Dictionary<string, string> { ["country"] = "sg" }));
        Assert.Equal(Region.Unknown, ResolveOrUnknown(new CountryClaimResolver(), new Dictionary<string, string>()));
    }

    // What an app does with any resolver: record Unknown when the source does not tell.
    private static Region ResolveOrUnknown<T>(IRequesterRegionResolver<T> resolver, T source) =>
        resolver.TryResolve(source, out var region) ? region : Region.Unknown;

    // An app's own source: a country claim of the signed-in user, as an identity provider may issue it.
    private sealed class CountryClaimResolver : IRequesterRegionResolver<IReadOnlyDictionary<string, string>>
    {
        public bool TryResolve(IReadOnlyDictionary<string, string> source, out Region region)
        {
            region = Region.Unknown;
            return source.TryGetValue("country", out var code) && Region.TryParse(code, out region) && !region.IsUnknown;
        }
    }
}
