using DataAccessAudit.PostgreSql;
using DataAccessAudit.PostgreSql.Writing;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Adds the PostgreSQL store, shared by every instance of an app, as a sink of the audit.</summary>
public static class PostgreSqlBuilderExtensions
{
    /// <summary>Writes recorded accesses to PostgreSQL, with the default options and this connection string.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string, such as <c>configuration.GetConnectionString("Audit")</c>.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder UsePostgreSql(this IDataAccessAuditBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return UsePostgreSql(builder, options => options.ConnectionString = connectionString);
    }

    /// <summary>
    /// Writes recorded accesses to PostgreSQL, configured in code. The options are validated when the host starts, and
    /// the host's start fails when the database refuses the connection (its credentials, its database, the CONNECT
    /// privilege) or the role lacks a privilege the writer needs (each named with its GRANT); a database that cannot be
    /// reached does not stop the start, and recorded accesses queue until it is back.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; <see cref="PostgreSqlStoreOptions.ConnectionString"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder UsePostgreSql(this IDataAccessAuditBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return UsePostgreSqlCore(builder);
    }

    /// <summary>
    /// Writes recorded accesses to PostgreSQL, configured from a configuration section with the members of
    /// <see cref="PostgreSqlStoreOptions"/> (<c>ConnectionString</c>, <c>Schema</c>, <c>InstanceId</c>, <c>KeyId</c>,
    /// <c>Key</c>, <c>SpillDirectory</c>). The options are validated when the host starts; a key the options do not
    /// have is an error, as for the file log, so that a misspelt setting cannot be silently ignored.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, such as <c>configuration.GetSection("DataAccessAudit:PostgreSql")</c>.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder UsePostgreSql(this IDataAccessAuditBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<PostgreSqlStoreOptions>().BindSection(section, static (configuration, options) => configuration.Bind(options));
        return UsePostgreSqlCore(builder);
    }

    private static IDataAccessAuditBuilder UsePostgreSqlCore(IDataAccessAuditBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PostgreSqlStoreOptions>()
            .PostConfigure<IServiceProvider>((options, provider) => options.SpillDirectory = ContentRootPaths.Resolve(provider, options.SpillDirectory))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
            return new PostgreSqlAccessEventSink(options, sp.GetRequiredService<IClock>(), sp.GetService<ILogger<PostgreSqlAccessEventSink>>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccessEventSink, PostgreSqlAccessEventSink>(sp => sp.GetRequiredService<PostgreSqlAccessEventSink>()));

        // A host's start fails when the database refuses this app's connection or the role lacks a privilege the writer
        // needs (StoreStartupCheck); an outage does not.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreStartupCheck>());
        return builder;
    }
}
