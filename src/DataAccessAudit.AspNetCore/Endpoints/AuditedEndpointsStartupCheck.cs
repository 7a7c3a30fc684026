using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// Checks every audited endpoint when the app starts, before it serves a request: a declaration naming a category the
/// taxonomy lacks or a route value its route lacks, or one on an endpoint that caches its output, stops the start
/// with the message the endpoint would otherwise give on its first request.
/// </summary>
/// <remarks>
/// Routing builds the endpoints, and with them the minimal API filters that check their declarations, on the first
/// request, and MVC builds an action's filters on the action's first request: a misdeclared action would otherwise
/// answer 500 to every caller while the rest of the app ran. Building the endpoints here runs the minimal API checks;
/// controller actions and Razor pages are checked by <see cref="ActionAccesses.Access"/>, which keeps what it worked
/// out for their requests.
/// </remarks>
internal sealed class AuditedEndpointsStartupCheck : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return app =>
        {
            // The app's own configuration maps its endpoints; only afterwards are they all there to check.
            next(app);
            Check(app.ApplicationServices);
        };
    }

    private static void Check(IServiceProvider services)
    {
        if (services.GetService<EndpointDataSource>() is not { } dataSource)
        {
            return;
        }

        ActionAccesses? accesses = null;
        foreach (var endpoint in dataSource.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<ActionDescriptor>() is not { } action)
            {
                continue;
            }

            // A Razor page's endpoint carries its PageActionDescriptor, whose metadata holds the page model's
            // attributes: pages are checked here as controller actions are.
            accesses ??= services.GetRequiredService<ActionAccesses>();
            accesses.Access(action, endpoint);
        }
    }
}
