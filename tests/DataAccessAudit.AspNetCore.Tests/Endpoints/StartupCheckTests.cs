using System.Net;
using System.Reflection;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using static DataAccessAudit.AspNetCore.Tests.TestApp.Requests;

namespace DataAccessAudit.AspNetCore.Tests.Endpoints;

// A misdeclared audited endpoint stops the app when it starts, controller actions included, instead of failing the
// requests of one endpoint while the rest of the app runs.
public sealed class StartupCheckTests
{
    [Fact]
    public void ActionWithATemplateNamingARouteValueTheRouteLacks_StopsTheAppAtStart_NamingTheAction()
    {
        using var app = new AuditedApp(services: services => AddController<TypoController>(services));

        var error = Assert.Throws<InvalidOperationException>(() => app.Start());

        Assert.Contains($"{typeof(TypoController).FullName}.{nameof(TypoController.Contacts)}", error.Message, StringComparison.Ordinal);
        Assert.Contains("resource id 'user/{user}/contacts' names the route value 'user'", error.Message, StringComparison.Ordinal);
        Assert.Contains("{userId}", error.Message[error.Message.IndexOf("expected", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public void ActionWithAnAuditedAccessAndOutputCache_StopsTheAppAtStart_NamingTheAction()
    {
        using var app = new AuditedApp(
            services: services =>
            {
                services.AddOutputCache();
                AddController<CachedController>(services);
            },
            routed: pipeline => pipeline.UseOutputCache());

        var error = Assert.Throws<InvalidOperationException>(() => app.Start());

        Assert.Contains($"{typeof(CachedController).FullName}.{nameof(CachedController.Contacts)}", error.Message, StringComparison.Ordinal);
        Assert.Contains("[OutputCache]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinimalApiEndpointWithAnUnknownCategory_StopsTheAppAtStart_NamingIt()
    {
        using var app = new AuditedApp(endpoints: endpoints => endpoints.MapGet("/misspelt/{userId}", (string userId) => userId).AuditsAccess("protcted"));

        var error = Assert.Throws<InvalidOperationException>(() => app.Start());

        Assert.Contains("/misspelt/{userId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("'protcted'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WellDeclaredAction_ChecksAtStartDoNotChangeItsRequests()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        var response = await client.GetAsync("/api/users/7/contacts", Claims("sub=emp-1;region=US"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("user/7/contacts", Assert.Single(await app.RecordsAsync()).Event.Resource.Id);
    }

    // The misdeclared controllers are nested, so MVC does not find them in the test app of every other test.
    private static void AddController<TController>(IServiceCollection services) =>
        services.AddControllers().ConfigureApplicationPartManager(parts => parts.FeatureProviders.Add(new OneController(typeof(TController))));

    private sealed class OneController(Type controller) : IApplicationFeatureProvider<ControllerFeature>
    {
        public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature) => feature.Controllers.Add(controller.GetTypeInfo());
    }

    [ApiController]
    [Route("api/typo/{userId}")]
    public sealed class TypoController(HandlerCalls handlers) : ControllerBase
    {
        [HttpGet("contacts")]
        [AuditedAccess("protected", ResourceId = "user/{user}/contacts")]
        public string Contacts(string userId) => handlers.Ran() + userId[..0];
    }

    [ApiController]
    [Route("api/cached/{userId}")]
    public sealed class CachedController(HandlerCalls handlers) : ControllerBase
    {
        [HttpGet("contacts")]
        [AuditedAccess("protected", ResourceId = "user/{userId}/contacts")]
        [OutputCache]
        public string Contacts(string userId) => handlers.Ran() + userId[..0];
    }
}
