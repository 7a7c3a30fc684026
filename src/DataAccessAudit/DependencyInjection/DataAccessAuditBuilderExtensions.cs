using System.Diagnostics.CodeAnalysis;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Chooses the policy and the sinks of the audit.</summary>
public static class DataAccessAuditBuilderExtensions
{
    /// <summary>Uses a policy built in code, such as <see cref="AccessPolicy.ProjectTexas"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="policy">The policy.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder UsePolicy(this IDataAccessAuditBuilder builder, AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        builder.Services.Replace(ServiceDescriptor.Singleton(policy));
        return builder;
    }

    /// <summary>Adds a sink that every recorded access is written to.</summary>
    /// <typeparam name="TSink">The sink's type, created by the container as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddSink<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSink>(this IDataAccessAuditBuilder builder)
        where TSink : class, IAccessEventSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TSink>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccessEventSink, TSink>(sp => sp.GetRequiredService<TSink>()));
        return builder;
    }

    /// <summary>Adds a sink instance that every recorded access is written to.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="sink">The sink.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddSink(this IDataAccessAuditBuilder builder, IAccessEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sink);
        builder.Services.AddSingleton(sink);
        return builder;
    }
}
