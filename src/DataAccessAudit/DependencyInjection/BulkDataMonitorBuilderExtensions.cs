using System.Diagnostics.Metrics;
using DataAccessAudit.BulkData;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Adds the bulk-data monitor (US 28 CFR 202) as a sink of the audit.</summary>
public static class BulkDataMonitorBuilderExtensions
{
    /// <summary>
    /// Adds the bulk-data monitor with the default options: alerts at 50 % and 100 % of each threshold, state in memory
    /// only. The registered <see cref="AccessPolicy"/> must have <see cref="AccessPolicy.BulkData"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddBulkDataMonitor(this IDataAccessAuditBuilder builder) => AddBulkDataMonitor(builder, _ => { });

    /// <summary>
    /// Adds the bulk-data monitor, configured in code (alert fractions, the state file beside the log, a callback).
    /// The registered <see cref="AccessPolicy"/> must have <see cref="AccessPolicy.BulkData"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddBulkDataMonitor(this IDataAccessAuditBuilder builder, Action<BulkDataMonitorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.Configure(configure);
        services.AddOptions<BulkDataMonitorOptions>()
            .PostConfigure<IServiceProvider>((options, provider) => options.StatePath = ContentRootPaths.Resolve(provider, options.StatePath));
        services.TryAddSingleton(sp =>
        {
            var policy = sp.GetRequiredService<AccessPolicy>();
            var bulk = policy.BulkData ?? throw new InvalidOperationException(
                $"The bulk-data monitor needs thresholds, but policy '{policy.Id}' has no bulkData; use a policy with a bulkData section (docs/policies/project-texas-bulk-data.json) or AccessPolicy.WithBulkData.");
            return new BulkDataMonitor(
                bulk,
                sp.GetRequiredService<IOptions<BulkDataMonitorOptions>>().Value,
                sp.GetRequiredService<IClock>(),
                sp.GetService<ILogger<BulkDataMonitor>>(),
                sp.GetService<IMeterFactory>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccessEventSink, BulkDataMonitor>(sp => sp.GetRequiredService<BulkDataMonitor>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BulkDataMonitorHostStart>());
        return builder;
    }
}
