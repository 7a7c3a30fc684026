using DataAccessAudit.AspNetCore;
using System.Diagnostics.CodeAnalysis;
using DataAccessAudit.AspNetCore.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Declares the data accesses of minimal API endpoints and groups.</summary>
public static class AuditedAccessEndpointConventionBuilderExtensions
{
    /// <summary>Records every request to the endpoints as a read of data of <paramref name="category"/>, before the handler runs.</summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <param name="category">The data category, such as <c>protected</c>.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AuditsAccess<TBuilder>(this TBuilder builder, string category)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AuditsAccess(new AuditedAccessAttribute(category));

    /// <summary>Records every request to the endpoints as an access to data of <paramref name="category"/>, described by <paramref name="configure"/>.</summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <param name="category">The data category, such as <c>protected</c>.</param>
    /// <param name="configure">Sets the resource id and region templates or resolvers, the action and the purpose.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AuditsAccess<TBuilder>(this TBuilder builder, string category, Action<AuditedAccessAttribute> configure)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        var declaration = new AuditedAccessAttribute(category);
        configure(declaration);
        return builder.AuditsAccess(declaration);
    }

    /// <summary>Records every request to the endpoints as an access to records of <paramref name="resourceType"/>, whose classification gives the category.</summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <param name="resourceType">The type of the data, such as <c>Message</c>, classified with <c>[ProtectedData]</c> and friends.</param>
    /// <param name="configure">Sets the resource id and region templates or resolvers, the action and the purpose.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AuditsAccess<TBuilder>(
        this TBuilder builder,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type resourceType,
        Action<AuditedAccessAttribute> configure)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        var declaration = new AuditedAccessAttribute(resourceType);
        configure(declaration);
        return builder.AuditsAccess(declaration);
    }

    /// <summary>Records every request to the endpoints as the access <paramref name="declaration"/> describes.</summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <param name="declaration">The access.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The declaration becomes endpoint metadata (controllers and Razor pages routed through these endpoints, such as
    /// <c>MapRazorPages().AuditsAccess(...)</c>, are audited by an action filter and a page filter) and adds an
    /// endpoint filter to minimal API handlers. The category and templates are checked when the
    /// app starts, so a misspelt category or route value stops it instead of recording nonsense, and so is
    /// output caching declared on the same endpoint (<c>.CacheOutput()</c>), which would answer other requesters from
    /// the cache without an event or a policy decision. Giving the same declaration again, to the endpoint or to a
    /// group and an endpoint in it, still records one event per request.
    /// </remarks>
    public static TBuilder AuditsAccess<TBuilder>(this TBuilder builder, AuditedAccessAttribute declaration)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(declaration);
        builder.Add(endpoint =>
        {
            // The same declaration given twice to one endpoint (twice to it, or to a group and an endpoint in it) is
            // one declaration: it moves to the later, closer place and keeps the one filter it already added.
            // Attributes compare by value, so only the instance itself counts as the same declaration.
            for (var i = 0; i < endpoint.Metadata.Count; i++)
            {
                if (ReferenceEquals(endpoint.Metadata[i], declaration))
                {
                    endpoint.Metadata.RemoveAt(i);
                    endpoint.Metadata.Add(declaration);
                    return;
                }
            }

            endpoint.Metadata.Add(declaration);
            endpoint.FilterFactories.Add((context, next) =>
            {
                // Filters are built once every convention has run, so the metadata is complete here. The declaration
                // closest to the handler wins (a group's, then the endpoint's): only its own factory adds the filter.
                // Controller actions and Razor pages (whose endpoints carry an action descriptor too) are audited by
                // the action filter and the page filter, which read the same metadata and whose declarations are
                // checked when the app starts.
                AuditedAccessAttribute? closest = null;
                foreach (var item in endpoint.Metadata)
                {
                    if (item is AuditedAccessAttribute candidate)
                    {
                        closest = candidate;
                    }
                    else if (item is ActionDescriptor)
                    {
                        return next;
                    }
                }

                if (!ReferenceEquals(closest, declaration))
                {
                    return next;
                }

                var name = endpoint.DisplayName ?? "An endpoint";
                var recorder = context.ApplicationServices.GetService<HttpAccessRecorder>() ?? throw new InvalidOperationException(
                    $"{name} audits its access, but the ASP.NET Core integration is not registered: call " +
                    "services.AddDataAccessAudit(audit => audit.AddAspNetCore()).");
                var access = EndpointAccess.ForEndpoint(declaration, recorder.Policy.Taxonomy, name, (endpoint as RouteEndpointBuilder)?.RoutePattern, endpoint.Metadata);
                var filter = new AuditedAccessEndpointFilter(recorder, access);
                return invocation => filter.InvokeAsync(invocation, next);
            });
        });
        return builder;
    }
}
