using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.Tests.DependencyInjection;

public sealed class UsePolicyTests
{
    private static IHost BuildHost(IConfiguration configuration, Action<IDataAccessAuditBuilder> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddDataAccessAudit(configure);
        return builder.Build();
    }

    private static IConfigurationRoot Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task UsePolicy_PresetFileAsConfiguration_BindsToTheProjectTexasPolicy()
    {
        // The file as an app would put it in appsettings.json, under "DataAccessAudit:Policy", with the mode overridden.
        var file = new ConfigurationBuilder().AddJsonFile(TestData.Path("policies", "project-texas.json")).Build();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(file.AsEnumerable().Select(kv => new KeyValuePair<string, string?>($"DataAccessAudit:Policy:{kv.Key}", kv.Value)))
            .AddInMemoryCollection([new("DataAccessAudit:Policy:Mode", "Enforce")])
            .Build();
        using var host = BuildHost(configuration, audit => audit.UsePolicy(configuration.GetSection("DataAccessAudit:Policy")));

        await host.StartAsync(TestContext.Current.CancellationToken);
        var policy = host.Services.GetRequiredService<AccessPolicy>();

        Assert.Equal("project-texas/1", policy.Id);
        Assert.Equal(PolicyMode.Enforce, policy.Mode);
        Assert.Equal(
            AccessPolicyJson.Format(AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce))),
            AccessPolicyJson.Format(AccessPolicyOptions.FromPolicy(policy)));
        Assert.NotNull(host.Services.GetRequiredService<IAccessAuditor>());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task UsePolicy_SectionWithInvalidEntries_FailsHostStartNamingEachEntry()
    {
        var configuration = Configuration(
            ("Audit:Policy:Name", "broken"),
            ("Audit:Policy:Version", "1"),
            ("Audit:Policy:Taxonomy:Name", "t"),
            ("Audit:Policy:Taxonomy:Categories:0:Name", "pii"),
            ("Audit:Policy:Taxonomy:Categories:0:CrossBorder", "requires-approval"),
            ("Audit:Policy:Jurisdictions:0:Name", "home"),
            ("Audit:Policy:Jurisdictions:0:Regions:0", "US"),
            ("Audit:Policy:Jurisdictions:0:Regions:1", "GB"),
            ("Audit:Policy:Jurisdictions:0:Regions:2", "PR"),
            ("Audit:Policy:Jurisdictions:0:Regions:3", "UK"),
            ("Audit:Policy:HomeJurisdictions:0", "home"),
            ("Audit:Policy:CountriesOfConcern", "coc"));
        using var host = BuildHost(configuration, audit => audit.UsePolicy(configuration.GetSection("Audit:Policy")));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            [
                "Data access audit policy: jurisdictions[0].regions[3]: 'UK' is not an ISO 3166-1 alpha-2 code; expected one of the 249 assigned two-letter codes, such as US, GB or CN",
                "Data access audit policy: countriesOfConcern: \"coc\" names no jurisdiction; expected one of \"home\", or null for none",
            ],
            exception.Failures);
        Assert.Contains("'UK'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePolicy_SectionWithUnknownKey_FailsHostStartNamingTheKey()
    {
        var configuration = Configuration(
            ("Audit:Policy:Name", "p"),
            ("Audit:Policy:HomeJurisdiction:0", "US"));
        using var host = BuildHost(configuration, audit => audit.UsePolicy(configuration.GetSection("Audit:Policy")));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var failure = Assert.Single(exception.Failures, f => f.Contains("HomeJurisdiction:", StringComparison.Ordinal));
        Assert.StartsWith(
            "Data access audit policy: Audit:Policy:HomeJurisdiction: 'HomeJurisdiction' is not a policy setting; expected one of name, version, mode, taxonomy, jurisdictions, homeJurisdictions, countriesOfConcern",
            failure,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePolicy_SectionWithSeveralMistakes_ReportsEveryOneAtOnce()
    {
        // The mistakes of a hand-edited appsettings.json: misspelt keys at three depths and values the policy rejects.
        var configuration = Configuration(
            ("DataAccessAudit:Policy:Name", "p"),
            ("DataAccessAudit:Policy:Version", "1"),
            ("DataAccessAudit:Policy:Mode", "strict"),
            ("DataAccessAudit:Policy:CountriesOfConcen", "coc"),
            ("DataAccessAudit:Policy:Taxonomy:Name", "t"),
            ("DataAccessAudit:Policy:Taxonomy:Categories:0:Name", "protected"),
            ("DataAccessAudit:Policy:Taxonomy:Categories:0:CrossBorder", "requires-approval"),
            ("DataAccessAudit:Policy:Taxonomy:Categories:0:CrosBorder", "allowed"),
            ("DataAccessAudit:Policy:Jurisdictions:0:Name", "US"),
            ("DataAccessAudit:Policy:Jurisdictions:0:Regions:0", "UK"),
            ("DataAccessAudit:Policy:Jurisdictions:first:Name", "EU"),
            ("DataAccessAudit:Policy:Mode:Value", "audit"));
        using var host = BuildHost(configuration, audit => audit.UsePolicy(configuration.GetSection("DataAccessAudit:Policy")));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var failures = exception.Failures.ToList();
        Assert.All(failures, failure => Assert.StartsWith("Data access audit policy: ", failure, StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("DataAccessAudit:Policy:CountriesOfConcen: 'CountriesOfConcen' is not a policy setting", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("DataAccessAudit:Policy:Taxonomy:Categories:0:CrosBorder: 'CrosBorder' is not a policy setting; expected one of name, crossBorder", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("DataAccessAudit:Policy:Jurisdictions:first: 'first' is not a list index", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("DataAccessAudit:Policy:Mode:Value: 'Value' is not a policy setting; DataAccessAudit:Policy:Mode is a single value", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("mode: \"strict\" is not a policy mode", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("jurisdictions[0].regions[0]: 'UK'", StringComparison.Ordinal));
        Assert.True(failures.Count == 7, string.Join("\n", failures)); // the binder also adds the entry "first" to the list: one more problem, also named
    }

    [Fact]
    public async Task UsePolicy_SectionKeysInAnyCase_AreKnown()
    {
        var configuration = Configuration(
            ("P:NAME", "p"),
            ("P:version", "1"),
            ("P:taxonomy:NAME", "t"),
            ("P:Taxonomy:categories:0:name", "protected"),
            ("P:Taxonomy:categories:0:CROSSBORDER", "requires-approval"),
            ("P:homejurisdictions:0", "US"),
            ("P:Jurisdictions:0:Name", "US"),
            ("P:Jurisdictions:0:regions:0", "us"));
        using var host = BuildHost(configuration, audit => audit.UsePolicy(configuration.GetSection("P")));

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal("p/1", host.Services.GetRequiredService<AccessPolicy>().Id);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task UsePolicy_ConfigureFromPreset_ChangesOnlyWhatItSets()
    {
        using var host = BuildHost(Configuration(), audit => audit.UsePolicy(options =>
        {
            var preset = AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas);
            options.Name = "texas-plus";
            options.Version = "2";
            options.Taxonomy = preset.Taxonomy;
            options.Jurisdictions = [.. preset.Jurisdictions, new JurisdictionOptions { Name = "UK", Regions = ["GB"] }];
            options.HomeJurisdictions = ["US", "EEA", "UK"];
            options.CountriesOfConcern = preset.CountriesOfConcern;
        }));

        await host.StartAsync(TestContext.Current.CancellationToken);
        var policy = host.Services.GetRequiredService<AccessPolicy>();

        Assert.Equal("texas-plus/2", policy.Id);
        Assert.Equal("UK", policy.HomeJurisdictionOf(DataAccessAudit.Regions.Region.Parse("GB"))?.Name);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task UsePolicy_ConfigureInvalid_FailsHostStartAndPolicyResolution()
    {
        using var host = BuildHost(Configuration(), audit => audit.UsePolicy(options => options.Name = "half"));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(exception.Failures, f => f.EndsWith("version: missing; expected the policy's version, such as \"1\"", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("taxonomy: missing", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<AccessPolicy>());
    }
}
