using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using DataAccessAudit.Transparency;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Adds the file log, the durable tamper-evident store, as a sink of the audit.</summary>
public static class FileLogBuilderExtensions
{
    /// <summary>Adds the file log, configured in code. The options are validated when the host starts.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; <see cref="FileLogOptions.Directory"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddFileLog(this IDataAccessAuditBuilder builder, Action<FileLogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return AddFileLogCore(builder);
    }

    /// <summary>
    /// Adds the file log, configured from a configuration section with the members of <see cref="FileLogOptions"/>
    /// (TimeSpans as <c>d.hh:mm:ss</c>). The options are validated when the host starts; a key the options do not
    /// have is an error, so that a misspelt <c>Retention</c> cannot silently keep segments for ever.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, such as <c>configuration.GetSection("DataAccessAudit:FileLog")</c>.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddFileLog(this IDataAccessAuditBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<FileLogOptions>().BindSection(section, static (configuration, options) => configuration.Bind(options));
        return AddFileLogCore(builder);
    }

    private static IDataAccessAuditBuilder AddFileLogCore(IDataAccessAuditBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FileLogOptions>()
            .PostConfigure<IServiceProvider>((options, provider) =>
            {
                options.Directory = ContentRootPaths.Resolve(provider, options.Directory)!;
                options.KeyFile = ContentRootPaths.Resolve(provider, options.KeyFile);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileLogOptions>, FileLogOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileLogOptions>, FileLogRulesValidator>());
        services.TryAddSingleton(sp => new FileLog(
            sp.GetRequiredService<IOptions<FileLogOptions>>().Value,
            sp.GetRequiredService<IClock>(),
            sp.GetService<ILogger<FileLog>>())
        {
            // Whoever signs the checkpoints (this host, or an 'access-report checkpoint' run elsewhere), retention
            // waits for one to cover each removal record before it deletes the segments.
            CheckpointedRecords = LogTree.CheckpointedRecords,
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccessEventSink, FileLog>(sp => sp.GetRequiredService<FileLog>()));
        return builder;
    }
}
