using System.Diagnostics.Metrics;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the data access audit in a service collection.</summary>
public static class DataAccessAuditServiceCollectionExtensions
{
    /// <summary>
    /// Adds the auditor (<see cref="IAccessAuditor"/>), the <c>project-texas/1</c> policy in audit mode unless
    /// another is chosen, <see cref="SystemClock"/> as <see cref="IClock"/> unless another clock is registered, and
    /// the recording pipeline with <see cref="RecordingOptions"/> (validated at start-up).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    /// <remarks>Calling it again adds nothing twice.</remarks>
    public static IServiceCollection AddDataAccessAudit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCore(services);
        return services;
    }

    /// <summary>
    /// Adds the auditor (<see cref="IAccessAuditor"/>) as <see cref="AddDataAccessAudit(IServiceCollection)"/> does,
    /// and configures it: the policy, the sinks, the recording pipeline.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Chooses the policy and the sinks, such as <c>audit => audit.AddFileLog(...)</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDataAccessAudit(this IServiceCollection services, Action<IDataAccessAuditBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        configure(AddCore(services));
        return services;
    }

    private static DataAccessAuditBuilder AddCore(IServiceCollection services)
    {
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(AccessPolicy.ProjectTexas);
        services.AddOptions<RecordingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordingOptions>, RecordingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordingOptions>, RecordingIntervalValidator>());
        services.TryAddSingleton(sp =>
        {
            var diagnostics = sp.GetRequiredService<TelemetryInstruments>();
            var queue = new RecordingQueue(
                sp.GetServices<IAccessEventSink>(),
                sp.GetRequiredService<IOptions<RecordingOptions>>().Value,
                sp.GetRequiredService<IClock>(),
                sp.GetService<IRecordingTelemetry>() ?? new RecordingTelemetry(diagnostics),
                sp.GetService<ILogger<RecordingQueue>>());

            // Both live as long as the container, so the registration needs no disposal of its own.
            diagnostics.RegisterQueueDepth(() => queue.QueueDepth);
            return queue;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ResolvedOnStart<RecordingQueue>>());
        services.TryAddSingleton(sp => new TelemetryInstruments(
            sp.GetService<IMeterFactory>(), sp.GetService<IRedactorProvider>(), sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IAccessAuditor, AccessAuditor>();
        return new DataAccessAuditBuilder(services);
    }
}
