using System.Runtime.CompilerServices;
using DataAccessAudit.EntityFrameworkCore;
using DataAccessAudit.EntityFrameworkCore.DependencyInjection;
using DataAccessAudit.EntityFrameworkCore.Interception;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Records the reads of classified entities by a context's queries.</summary>
public static class DataAccessAuditDbContextOptionsBuilderExtensions
{
    private static readonly ConditionalWeakTable<IAccessAuditor, EntityAccessInterceptor> Interceptors = new();

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
        var settings = AuditSettings.From(options);

        // EF Core builds a new internal service provider per distinct interceptor, and fails after twenty: every
        // context of the app (one auditor) shares one interceptor, and carries its own settings in an options
        // extension that asks for no provider of its own, so the options lambda may build new values each time.
        var interceptor = Interceptors.GetValue(auditor, _ => new EntityAccessInterceptor(
            auditor,
            services.GetRequiredService<AccessPolicy>(),
            services.GetRequiredService<IClock>(),
            services.GetService<IRequesterAccessor>()));
        var configured = builder.Options.FindExtension<EntityAuditOptionsExtension>();
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new EntityAuditOptionsExtension(interceptor, settings));

        // Configured twice, the settings are the last call's and the interceptor runs once.
        return configured?.Interceptor == interceptor ? builder : builder.AddInterceptors(interceptor);
    }
}
