using DataAccessAudit.Transparency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Adds signed checkpoints of the file log's Merkle tree (docs/log-format.md, "The tree and checkpoints").</summary>
public static class CheckpointBuilderExtensions
{
    /// <summary>
    /// Signs a checkpoint of the file log every <see cref="CheckpointOptions.Interval"/> (default one second) and
    /// when the host stops, with the key in <see cref="CheckpointOptions.KeyFile"/>, into the log directory's
    /// <c>tree/checkpoint</c>; each is logged and given to every registered <see cref="ICheckpointSink"/>. Requires
    /// <see cref="FileLogBuilderExtensions.AddFileLog(IDataAccessAuditBuilder, Action{Log.FileLogOptions})"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; <see cref="CheckpointOptions.KeyFile"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddFileLogCheckpoints(this IDataAccessAuditBuilder builder, Action<CheckpointOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.Configure(configure);
        services.AddOptions<CheckpointOptions>()
            .PostConfigure<IServiceProvider>((options, provider) => options.KeyFile = ContentRootPaths.Resolve(provider, options.KeyFile)!)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CheckpointOptions>, CheckpointOptionsValidator>());
        services.TryAddSingleton<CheckpointWriter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ResolvedOnStart<CheckpointWriter>>());
        return builder;
    }
}
