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
    public void AddAspNetCore_FromConfigurationWithAMisspeltKey_Fails()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Http:RegoinHeader"] = "X-Region",
        }).Build();
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.AddAspNetCore(configuration.GetSection("Http")));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<HttpAuditOptions>>().Value);

        Assert.Contains("RegoinHeader", error.Message, StringComparison.Ordinal);
    }
}
