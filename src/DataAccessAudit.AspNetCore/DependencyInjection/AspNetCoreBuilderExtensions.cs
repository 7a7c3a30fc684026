using DataAccessAudit.AspNetCore;
using DataAccessAudit.AspNetCore.Endpoints;
using DataAccessAudit.AspNetCore.Requesters;
using DataAccessAudit.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Registers the ASP.NET Core integration: audited endpoints and the request's requester.</summary>
public static class AspNetCoreBuilderExtensions
{
    /// <summary>
    /// Registers audited endpoints (minimal APIs and controllers) and the request's requester with the default
    /// <see cref="HttpAuditOptions"/>: the requester from the <c>sub</c> claim, their region from the
    /// <c>region</c> claim, no trusted proxy.
    /// </summary>
    /// <param name="builder">The audit builder.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddAspNetCore(this IDataAccessAuditBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddAspNetCoreCore(builder);
    }

    /// <summary>Registers audited endpoints and the request's requester, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The audit builder.</param>
    /// <param name="configure">Sets claim types, trusted proxies and headers, the time zone header, the IP database and defaults.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddAspNetCore(this IDataAccessAuditBuilder builder, Action<HttpAuditOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return AddAspNetCoreCore(builder);
    }

    /// <summary>Registers audited endpoints and the request's requester, configured from <paramref name="section"/>.</summary>
    /// <param name="builder">The audit builder.</param>
    /// <param name="section">A configuration section with the members of <see cref="HttpAuditOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddAspNetCore(this IDataAccessAuditBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<HttpAuditOptions>().BindSection(section, static (configuration, options) => configuration.Bind(options));
        return AddAspNetCoreCore(builder);
    }

    private static IDataAccessAuditBuilder AddAspNetCoreCore(IDataAccessAuditBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HttpAuditOptions>()
            .PostConfigure<IServiceProvider>((options, provider) => options.IpDatabasePath = ContentRootPaths.Resolve(provider, options.IpDatabasePath))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpAuditOptions>, HttpAuditOptionsValidator>());
        services.AddHttpContextAccessor();
        services.TryAddSingleton<HttpRequesterResolver>();
        services.TryAddSingleton<IRequesterAccessor, HttpRequesterAccessor>();
        services.TryAddSingleton<HttpAccessRecorder>();
        services.TryAddSingleton<ActionAccesses>();
        services.TryAddSingleton<AuditedAccessFilter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MvcOptions>, AuditedAccessMvcSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, AuditedEndpointsStartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, AccessDeniedExceptionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ProblemDetailsOptions>, RefusalProblemDetailsSetup>());
        return builder;
    }
}
