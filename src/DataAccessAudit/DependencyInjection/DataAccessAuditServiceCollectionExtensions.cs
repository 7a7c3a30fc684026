using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
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
    /// <param name="configure">Chooses the policy and the sinks.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDataAccessAudit(this IServiceCollection services, Action<IDataAccessAuditBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(AccessPolicy.ProjectTexas);
        services.AddOptions<RecordingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordingOptions>, RecordingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordingOptions>, RecordingIntervalValidator>());
        services.TryAddSingleton(sp => new RecordingQueue(
            sp.GetServices<IAccessEventSink>(),
            sp.GetRequiredService<IOptions<RecordingOptions>>().Value,
            sp.GetRequiredService<IClock>(),
            sp.GetService<IRecordingObserver>(),
            sp.GetService<ILogger<RecordingQueue>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RecordingQueue>(sp => sp.GetRequiredService<RecordingQueue>()));
        services.TryAddSingleton<IAccessAuditor, AccessAuditor>();
        configure?.Invoke(new DataAccessAuditBuilder(services));
        return services;
    }
}
