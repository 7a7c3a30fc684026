using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.AspNetCore.Tests.DependencyInjection;

public sealed class AspNetCoreBuilderExtensionsTests
{
    [Fact]
    public void AddAspNetCore_RegistersTheRequestsRequesterForOtherCapture()
    {
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.AddAspNetCore());
        using var provider = services.BuildServiceProvider();

        // Outside a request there is no requester: capture elsewhere falls back to its own.
        Assert.Null(provider.GetRequiredService<IRequesterAccessor>().Requester);
    }

    [Fact]
    public async Task InvalidOptions_StopTheAppAtStartNamingEveryBadValue()
    {
        await using var app = new AuditedApp(configure: options =>
        {
            options.TrustedProxies.Add("10.0.0.300");
            options.DefaultDataRegion = "EU";
            options.IpDatabasePath = "/nowhere/GeoLite2-Country.mmdb";
        });

        var error = Assert.Throws<OptionsValidationException>(() => app.Start());

        Assert.Contains("\"10.0.0.300\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"EU\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nowhere/GeoLite2-Country.mmdb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAspNetCore_FromConfiguration_BindsEveryMember()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Http:TrustedProxies:0"] = "10.0.0.0/8",
            ["Http:RegionHeader"] = "X-Region",
            ["Http:TimeZoneHeader"] = "X-Time-Zone",
            ["Http:DefaultDataRegion"] = "US",
        }).Build();
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.AddAspNetCore(configuration.GetSection("Http")));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HttpAuditOptions>>().Value;

        Assert.Equal(["10.0.0.0/8"], options.TrustedProxies);
        Assert.Equal("X-Region", options.RegionHeader);
        Assert.Equal("X-Time-Zone", options.TimeZoneHeader);
        Assert.Equal("US", options.DefaultDataRegion);
    }

    [Fact]
    public void AddAspNetCore_FromConfigurationWithAMisspeltKey_FailsNamingItsPath()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Http:RegoinHeader"] = "X-Region",
        }).Build();
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.AddAspNetCore(configuration.GetSection("Http")));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HttpAuditOptions>>().Value);

        Assert.StartsWith("Http:RegoinHeader: 'RegoinHeader' is not a setting of HttpAuditOptions; expected one of IdClaimTypes, RegionClaimType,", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAspNetCore_FromConfigurationWithAMisspeltKeyBesideBadValues_StopsTheAppNamingEveryOne()
    {
        // The newcomer's appsettings.json: a misspelt DefaultDataRegion beside a region that is not an ISO code, a
        // proxy list written as one value, and a list entry that is not an index.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataAccessAudit:Http:DefaultDataRegin"] = "US",
            ["DataAccessAudit:Http:StoredIn"] = "USA",
            ["DataAccessAudit:Http:TrustedProxies"] = "10.0.0.0/8",
            ["DataAccessAudit:Http:IdClaimTypes:first"] = "sub",
        }).Build();
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.AddAspNetCore(configuration.GetSection("DataAccessAudit:Http")));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HttpAuditOptions>>().Value);

        Assert.Equal(
            [
                "Data access audit, ASP.NET Core: StoredIn: \"USA\" is not a region: expected an ISO 3166-1 alpha-2 code such as US.",
                "DataAccessAudit:Http:DefaultDataRegin: 'DefaultDataRegin' is not a setting of HttpAuditOptions; expected one of IdClaimTypes, RegionClaimType, OrganizationClaimType, RoleClaimType, TrustedProxies, RequesterIdHeader, RegionHeader, OrganizationHeader, ForwardedForHeader, TimeZoneHeader, IpDatabasePath, AnonymousRequesterId, DefaultDataRegion, StoredIn",
                "DataAccessAudit:Http:IdClaimTypes:first: 'first' is not a list index; DataAccessAudit:Http:IdClaimTypes is a list",
                "DataAccessAudit:Http:TrustedProxies: \"10.0.0.0/8\" is a single value; DataAccessAudit:Http:TrustedProxies is a list, written as TrustedProxies:0, TrustedProxies:1 and so on",
            ],
            error.Failures.Order(StringComparer.Ordinal));
    }
}
