using System.Net;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.AspNetCore.Tests.Endpoints;

// ASP.NET Core's output cache answers from its store before the endpoint runs; an audited response must never be
// there to answer with.
public sealed class OutputCacheTests
{
    [Fact]
    public async Task AuditedResponse_IsNotStoredByTheOutputCache_SoTheNextRequesterIsRecordedAndJudged()
    {
        // A base policy caches every GET the app serves: the set-up no endpoint declaration can see.
        await using var app = new AuditedApp(
            PolicyMode.Enforce,
            options =>
            {
                options.TrustedProxies.Add("127.0.0.1");
                options.RegionHeader = "X-Requester-Region";
            },
            services: services => services.AddOutputCache(cache => cache.AddBasePolicy(policy => policy.Cache())),
            routed: pipeline => pipeline.UseOutputCache());
        var client = app.Start();

        // The cache works in this app: an endpoint that is not audited runs once for two requests.
        await client.GetAsync("/open", TestContext.Current.CancellationToken);
        await client.GetAsync("/open", TestContext.Current.CancellationToken);
        Assert.Equal(1, app.Handlers.Count);

        var home = await client.GetAsync("/users/1/messages", ("X-Requester-Region", "US"));
        var abroad = await client.GetAsync("/users/1/messages", ("X-Requester-Region", "CN"));

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, abroad.StatusCode);
        Assert.Equal(
            [AccessOutcome.Allowed, AccessOutcome.Denied],
            (await app.RecordsAsync()).Select(record => record.Decision!.Value.Outcome));
        Assert.Equal(2, app.Handlers.Count);
    }

    [Fact]
    public void EndpointDeclaringOutputCachingAndAnAuditedAccess_FailsWhenBuilt_NamingIt()
    {
        using var app = new AuditedApp(
            services: services => services.AddOutputCache(),
            routed: pipeline => pipeline.UseOutputCache(),
            endpoints: endpoints => endpoints
                .MapGet("/cached/users/{userId}/messages", (string userId) => userId)
                .AuditsAccess("protected")
                .CacheOutput());

        var error = Assert.Throws<InvalidOperationException>(app.BuildEndpoints);

        Assert.Contains("/cached/users/{userId}/messages", error.Message, StringComparison.Ordinal);
        Assert.Contains("CacheOutput()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputCacheAttributeThatStoresNothing_IsAllowedOnAnAuditedEndpoint()
    {
        await using var app = new AuditedApp(
            services: services => services.AddOutputCache(),
            routed: pipeline => pipeline.UseOutputCache(),
            endpoints: endpoints => endpoints
                .MapGet("/uncached", (HandlerCalls handlers) => handlers.Ran())
                .AuditsAccess("protected")
                .WithMetadata(new OutputCacheAttribute { NoStore = true }));
        var client = app.Start();

        var response = await client.GetAsync("/uncached", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await app.RecordsAsync());
    }
}
