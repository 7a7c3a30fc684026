using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// Keeps ASP.NET Core's output cache away from audited responses. The output cache middleware answers a request from
/// its store before the endpoint runs, so a stored response would reach the next requester with no event recorded
/// and no policy decision taken, in enforce mode too.
/// </summary>
internal static class OutputCacheGuard
{
    /// <summary>Forbids the output cache (whatever policy enabled it: the endpoint's or a base policy) to store this request's response.</summary>
    public static void PreventStorage(HttpContext context)
    {
        if (context.Features.Get<IOutputCacheFeature>() is { } cache)
        {
            cache.Context.AllowCacheStorage = false;
        }
    }

    /// <summary>Fails the build of an endpoint (or the start of an app with a controller action) that declares both an audited access and output caching.</summary>
    public static void RefuseDeclaredCaching(IEnumerable<object> metadata, string endpointName)
    {
        foreach (var item in metadata)
        {
            // [OutputCache(NoStore = true)] declares that nothing is stored, which is what an audited endpoint needs.
            if (item is IOutputCachePolicy or OutputCacheAttribute { NoStore: false })
            {
                throw new InvalidOperationException(
                    $"{endpointName} audits its access and caches its output: the output cache would answer other requesters " +
                    "without recording their access or asking the policy. Remove CacheOutput() or [OutputCache] from the endpoint " +
                    "(its controller or its group); audited responses are never stored by the output cache anyway.");
            }
        }
    }
}
