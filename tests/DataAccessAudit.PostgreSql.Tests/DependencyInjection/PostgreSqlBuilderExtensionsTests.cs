using DataAccessAudit.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.PostgreSql.Tests.DependencyInjection;

public sealed class PostgreSqlBuilderExtensionsTests
{
    private static IOptions<PostgreSqlStoreOptions> Options(params (string Key, string Value)[] settings)
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"DataAccessAudit:PostgreSql:{s.Key}", s.Value)))
            .Build()
            .GetSection("DataAccessAudit:PostgreSql");
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.UsePostgreSql(section));
        return services.BuildServiceProvider().GetRequiredService<IOptions<PostgreSqlStoreOptions>>();
    }

    [Fact]
    public void UsePostgreSql_Section_BindsEveryOption()
    {
        var key = Convert.ToBase64String(new byte[32]);
        var options = Options(("ConnectionString", "Host=db;Database=app"), ("Schema", "audit_x"), ("InstanceId", "web-3"), ("KeyId", "2026-11"), ("Key", key)).Value;

        Assert.Equal("Host=db;Database=app", options.ConnectionString);
        Assert.Equal("audit_x", options.Schema);
        Assert.Equal("web-3", options.InstanceId);
        Assert.Equal("2026-11", options.KeyId);
        Assert.Equal(key, options.Key);
    }

    [Fact]
    public void UsePostgreSql_SectionWithAMisspeltKey_IsAnErrorNamingIt()
    {
        var options = Options(("ConnectionString", "Host=db;Database=app"), ("InstanceID2", "web-3"));

        var exception = Assert.Throws<OptionsValidationException>(() => options.Value);
        Assert.Equal(
            "DataAccessAudit:PostgreSql:InstanceID2: 'InstanceID2' is not a setting of PostgreSqlStoreOptions; expected one of ConnectionString, Schema, InstanceId, KeyId, Key, SpillDirectory",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public void UsePostgreSql_SectionWithAMisspeltKeyBesideABadValue_NamesBoth()
    {
        var options = Options(("ConnectionString", "Host=db;Database=app"), ("Schema", "Audit"), ("Spill", "/var/spill"));

        var exception = Assert.Throws<OptionsValidationException>(() => options.Value);
        Assert.Contains("DataAccessAudit:PostgreSql:Spill: 'Spill' is not a setting of PostgreSqlStoreOptions", exception.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSqlStoreOptions.Schema 'Audit' is not valid", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, exception.Failures.Count());
    }

    [Fact]
    public void UsePostgreSql_RelativeSpillDirectory_IsTakenFromTheHostsContentRoot()
    {
        // A service's current directory is usually / (systemd): the spill files belong beside the app.
        var root = Directory.CreateTempSubdirectory("content-root-").FullName;
        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root });
            builder.Services.AddDataAccessAudit(audit => audit.UsePostgreSql(o => { o.ConnectionString = "Host=db;Database=app"; o.SpillDirectory = "spill"; }));
            using var host = builder.Build();

            Assert.Equal(Path.Combine(root, "spill"), host.Services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.SpillDirectory);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
