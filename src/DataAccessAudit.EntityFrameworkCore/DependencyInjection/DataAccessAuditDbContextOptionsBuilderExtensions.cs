using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DataAccessAudit.EntityFrameworkCore;
using DataAccessAudit.EntityFrameworkCore.Interception;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Records the reads of classified entities by a context's queries.</summary>
public static class DataAccessAuditDbContextOptionsBuilderExtensions
{
    private static readonly ConditionalWeakTable<IAccessAuditor, ConcurrentDictionary<(string?, string?, Requester?, string, string?, Func<object, string>?), EntityAccessInterceptor>> Interceptors = new();

    /// <summary>
    /// Records every query's reads of entities classified with <c>[ProtectedData]</c> and friends, with the requester of
    /// the current request (<see cref="IRequesterAccessor"/>), through the auditor registered by <c>AddDataAccessAudit</c>.
    /// </summary>
    /// <param name="builder">The context's options.</param>
    /// <param name="services">The app's services, as <c>AddDbContext((services, options) => ...)</c> hands them.</param>
    /// <returns>The builder.</returns>
    public static DbContextOptionsBuilder UseDataAccessAudit(this DbContextOptionsBuilder builder, IServiceProvider services) =>
        UseDataAccessAudit(builder, services, static _ => { });

    /// <summary>Records every query's reads of classified entities, as <paramref name="configure"/> says.</summary>
    /// <param name="builder">The context's options.</param>
    /// <param name="services">The app's services, as <c>AddDbContext((services, options) => ...)</c> hands them.</param>
    /// <param name="configure">Sets the default data region, the storage region, the fallback requester and the action.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException"><c>AddDataAccessAudit</c> was not called on the app's services.</exception>
    public static DbContextOptionsBuilder UseDataAccessAudit(this DbContextOptionsBuilder builder, IServiceProvider services, Action<EntityAuditOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var auditor = services.GetService<IAccessAuditor>() ?? throw new InvalidOperationException(
            "UseDataAccessAudit needs the data access auditor: call services.AddDataAccessAudit(...) on the app's services.");
        var options = new EntityAuditOptions();
        configure(options);

        // EF Core builds a new internal service provider for options that differ, and fails after twenty: contexts
        // configured alike share one interceptor (per auditor, that is per app), which keeps per-context state itself.
        var interceptors = Interceptors.GetValue(auditor, static _ => new());
        var key = (options.DefaultDataRegion, options.StoredIn, options.Requester, options.Action, options.Purpose, options.SubjectPseudonym);
        var interceptor = interceptors.GetOrAdd(key, _ => new EntityAccessInterceptor(
            auditor,
            services.GetRequiredService<AccessPolicy>(),
            services.GetRequiredService<IClock>(),
            services.GetService<IRequesterAccessor>(),
            options));
        return builder.AddInterceptors(interceptor);
    }
}
