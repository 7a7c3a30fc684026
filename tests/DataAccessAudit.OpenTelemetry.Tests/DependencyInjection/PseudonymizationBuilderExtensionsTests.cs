using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.OpenTelemetry.Tests.DependencyInjection;

public sealed class PseudonymizationBuilderExtensionsTests
{
    [Fact]
    public async Task PseudonymizeIdentifiers_ValidKey_MakesTheAuditorsDiagnosticsPseudonymise()
    {
        using var host = Build(audit => audit.PseudonymizeIdentifiers(options =>
        {
            options.KeyId = 1;
            options.Key = TestAccesses.Key;
        }));
        await host.StartAsync(TestContext.Current.CancellationToken);

        var diagnostics = host.Services.GetRequiredService<TelemetryInstruments>();

        Assert.True(diagnostics.Pseudonyms.IsEnabled);
        Assert.Equal(TestAccesses.Pseudonym(TestAccesses.RawRequesterId, TestAccesses.Key), diagnostics.Pseudonyms.Of(TestAccesses.RawRequesterId));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task PseudonymizeIdentifiers_ConfigurationSection_BindsKeyIdAndKey()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DataAccessAudit:Pseudonyms:KeyId"] = "1",
                ["DataAccessAudit:Pseudonyms:Key"] = TestAccesses.Key,
            })
            .Build()
            .GetSection("DataAccessAudit:Pseudonyms");
        using var host = Build(audit => audit.PseudonymizeIdentifiers(section));
        await host.StartAsync(TestContext.Current.CancellationToken);

        var pseudonyms = host.Services.GetRequiredService<TelemetryInstruments>().Pseudonyms;

        Assert.Equal(TestAccesses.Pseudonym(TestAccesses.RawResourceId, TestAccesses.Key), pseudonyms.Of(TestAccesses.RawResourceId));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task PseudonymizeIdentifiers_SectionWithAMisspeltKeyBesideABadKeyId_FailsAtStartUpNamingBoth()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DataAccessAudit:Pseudonyms:KeyId"] = "first",
                ["DataAccessAudit:Pseudonyms:Kye"] = TestAccesses.Key,
            })
            .Build()
            .GetSection("DataAccessAudit:Pseudonyms");
        using var host = Build(audit => audit.PseudonymizeIdentifiers(section));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("DataAccessAudit:Pseudonyms:KeyId: \"first\" is not a whole number", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataAccessAudit:Pseudonyms:Kye: 'Kye' is not a setting of HmacRedactorOptions; expected one of KeyId, Key", error.Message, StringComparison.Ordinal);
        Assert.Contains("HmacRedactorOptions.KeyId is not set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("")]
    public async Task PseudonymizeIdentifiers_KeyTooShort_FailsAtStartUp(string key)
    {
        using var host = Build(audit => audit.PseudonymizeIdentifiers(options =>
        {
            options.KeyId = 1;
            options.Key = key;
        }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PseudonymizeIdentifiers_NoKeyId_FailsAtStartUp()
    {
        using var host = Build(audit => audit.PseudonymizeIdentifiers(options => options.Key = TestAccesses.Key));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("KeyId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PseudonymizeIdentifiers_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddDataAccessAudit();
        IDataAccessAuditBuilder? audit = null;
        builder.AddDataAccessAudit(b => audit = b);

        Assert.Throws<ArgumentNullException>(() => audit!.PseudonymizeIdentifiers((Action<Microsoft.Extensions.Compliance.Redaction.HmacRedactorOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => audit!.PseudonymizeIdentifiers((IConfigurationSection)null!));
        Assert.Throws<ArgumentNullException>(() => ((IDataAccessAuditBuilder)null!).PseudonymizeIdentifiers(_ => { }));
    }

    [Fact]
    public void AddDataAccessAudit_WithoutPseudonyms_RegistersDiagnosticsThatLeaveIdsOut()
    {
        using var services = new ServiceCollection().AddMetrics().AddDataAccessAudit().BuildServiceProvider();

        var diagnostics = services.GetRequiredService<TelemetryInstruments>();

        Assert.False(diagnostics.Pseudonyms.IsEnabled);
        Assert.Same(diagnostics, services.GetRequiredService<TelemetryInstruments>());
        Assert.NotNull(diagnostics.Meter.Scope);
    }

    private static IHost Build(Action<IDataAccessAuditBuilder> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDataAccessAudit(configure);
        return builder.Build();
    }
}
