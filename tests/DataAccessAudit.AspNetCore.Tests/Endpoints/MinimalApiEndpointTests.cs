using System.Net;
using System.Security.Claims;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.Classification;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Builder;
using static DataAccessAudit.AspNetCore.Tests.TestApp.Requests;

namespace DataAccessAudit.AspNetCore.Tests.Endpoints;

public sealed class MinimalApiEndpointTests
{
    [Fact]
    public async Task AuditedEndpoint_AllowedRequest_RecordsOneEventWithTheDeclaredResourceAndRunsTheHandler()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        var response = await client.GetAsync("/users/8812/messages", Claims("sub=emp-1;region=US;org=TikTok US"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var handlerTrace = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var record = Assert.Single(await app.RecordsAsync());
        var accessEvent = record.Event;
        Assert.Equal("emp-1", accessEvent.Requester.Id);
        Assert.Equal(Region.Parse("US"), accessEvent.Requester.Region);
        Assert.Equal("TikTok US", accessEvent.Requester.Organization);
        Assert.Equal("user/8812/messages", accessEvent.Resource.Id);
        Assert.Equal("direct-message", accessEvent.Resource.Type);
        Assert.Equal(Taxonomy.Protected, accessEvent.Resource.Category);
        Assert.Equal(Region.Parse("US"), accessEvent.Resource.Region);
        Assert.Equal(Region.Parse("US"), accessEvent.Resource.StoredIn);
        Assert.Equal("read", accessEvent.Action);
        Assert.Equal("support", accessEvent.Purpose);
        Assert.Equal(app.Clock.GetCurrentInstant(), accessEvent.Time);
        Assert.Equal(handlerTrace, accessEvent.TraceId);
        Assert.Equal(AccessOutcome.Allowed, record.Decision!.Value.Outcome);
        Assert.Equal(1, app.Handlers.Count);
    }

    [Fact]
    public async Task AuditedEndpoint_AuditMode_LetsADeniableRequestThroughAndRecordsItFlagged()
    {
        await using var app = new AuditedApp(PolicyMode.Audit);
        var client = app.Start();

        var response = await client.GetAsync("/users/8812/messages", Claims("sub=emp-4411;region=CN"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = Assert.Single(await app.RecordsAsync());
        Assert.Equal(AccessOutcome.Flagged, record.Decision!.Value.Outcome);
        Assert.True(record.Decision!.Value.Findings.Contains(Finding.CrossBorderProtectedAccess));
        Assert.True(record.Decision!.Value.Findings.Contains(Finding.CountryOfConcernAccess));
        Assert.Equal(1, app.Handlers.Count);
    }

    [Fact]
    public async Task AuditedEndpoint_EnforceMode_RefusesWithProblemDetailsBeforeTheHandlerRuns()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce);
        var client = app.Start();

        var response = await client.GetAsync("/users/8812/messages", Claims("sub=emp-4411;region=CN"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        var record = Assert.Single(await app.RecordsAsync());
        Assert.Equal(403, problem.Status);
        Assert.EndsWith("aspnetcore.md#refusals", problem.Type, StringComparison.Ordinal);
        Assert.Equal("denied", problem.Member("outcome"));
        Assert.Equal(["cross-border-protected-access", "country-of-concern-access"], problem.Findings);
        Assert.Equal("project-texas/1", problem.Member("policy"));
        Assert.Equal(record.Event.Id, problem.Member("eventId"));
        Assert.Equal(AccessOutcome.Denied, record.Decision!.Value.Outcome);
        Assert.Equal(0, app.Handlers.Count);
    }

    [Fact]
    public async Task AuditedEndpoint_EnforceMode_AllowsARequesterAtHome()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce);
        var client = app.Start();

        var response = await client.GetAsync("/users/8812/messages", Claims("sub=emp-1;region=US"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AccessOutcome.Allowed, Assert.Single(await app.RecordsAsync()).Decision!.Value.Outcome);
    }

    [Theory]
    [InlineData("/users/3/profile", "public", "Profile")]
    [InlineData("/users/3/inbox", "protected", "Message")]
    public async Task AuditedEndpoint_ResourceType_TakesTheMostProtectedClassificationOfTheType(string path, string category, string type)
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        await client.GetAsync(path, Claims("sub=emp-1;region=SG"));

        var accessEvent = Assert.Single(await app.RecordsAsync()).Event;
        Assert.Equal(new DataCategory(category), accessEvent.Resource.Category);
        Assert.Equal(type, accessEvent.Resource.Type);
    }

    [Fact]
    public async Task AuditedEndpoint_DataRegionFromARouteValue_IsTheRecordedHomeOfTheData()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        await client.GetAsync("/regions/ie/users/5/contacts", Claims("sub=emp-1;region=US"));

        var accessEvent = Assert.Single(await app.RecordsAsync()).Event;
        Assert.Equal(Region.Parse("IE"), accessEvent.Resource.Region);
        Assert.Equal("user/5/contacts", accessEvent.Resource.Id);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("ZZ")]
    [InlineData("<script>")]
    public async Task AuditedEndpoint_RouteValueThatIsNoRegion_IsABadRequestNamingTheValueAndRecordsNothing(string region)
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        var response = await client.GetAsync($"/regions/{Uri.EscapeDataString(region)}/users/5/contacts", Claims("sub=emp-1;region=US"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains($"\"{region}\"", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("ISO 3166-1 alpha-2", problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await app.RecordsAsync());
        Assert.Equal(0, app.Handlers.Count);
    }

    [Fact]
    public async Task AuditedEndpoint_ClaimHoldingNul_IsABadRequestAndRecordsNothing()
    {
        // A token's subject holding U+0000 ("\u0000" in its JSON): Kestrel refuses a %00 in the path itself, but a
        // claim comes from whatever the identity provider signed.
        await using var app = new AuditedApp(PolicyMode.Enforce, middleware: pipeline => pipeline.Use((context, next) =>
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "emp\u00001"), new Claim("region", "US")], "bearer"));
            return next(context);
        }));
        var client = app.Start();

        var response = await client.GetAsync("/users/8812/messages", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains("U+0000", problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await app.RecordsAsync());
        Assert.Equal(0, app.Handlers.Count);
    }

    [Fact]
    public async Task AuditedEndpoint_DataRegionResolver_TellsTheHomeOfTheData()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        await client.GetAsync("/eu-users/5", Claims("sub=emp-1;region=DE"));

        var record = Assert.Single(await app.RecordsAsync());
        Assert.Equal(Region.Parse("IE"), record.Event.Resource.Region);
        Assert.Equal("/eu-users/5", record.Event.Resource.Id);
        Assert.Equal(AccessOutcome.Allowed, record.Decision!.Value.Outcome);
    }

    [Fact]
    public async Task EndpointWithoutDeclaration_RecordsNothing()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        var response = await client.GetAsync("/open", Claims("sub=emp-1;region=CN"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await app.RecordsAsync());
        Assert.Equal(1, app.Handlers.Count);
    }

    [Theory]
    [InlineData("/grouped/secret", "protected")]
    [InlineData("/grouped/notice", "public")]
    public async Task GroupDeclaration_AppliesToItsEndpoints_AndTheEndpointsOwnWinsWithOneEventPerRequest(string path, string category)
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        await client.GetAsync(path, Claims("sub=emp-1;region=US"));

        Assert.Equal(new DataCategory(category), Assert.Single(await app.RecordsAsync()).Event.Resource.Category);
    }

    [Fact]
    public async Task AccessDeniedFurtherDown_IsAnsweredWithTheSameRefusal()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        var response = await client.GetAsync("/users/7/export", Claims("sub=emp-9;region=CN"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("query-1", problem.Member("eventId"));
        Assert.Equal("denied", problem.Member("outcome"));
    }

    [Fact]
    public async Task SameDeclarationGivenTwice_ToAnEndpointOrToItsGroup_RecordsOneEventPerRequest()
    {
        var twice = new AuditedAccessAttribute("protected");
        var shared = new AuditedAccessAttribute("protected");
        await using var app = new AuditedApp(endpoints: endpoints =>
        {
            endpoints.MapGet("/twice", (HandlerCalls handlers) => handlers.Ran()).AuditsAccess(twice).AuditsAccess(twice);
            endpoints.MapGroup("/shared").AuditsAccess(shared).MapGet("/e", (HandlerCalls handlers) => handlers.Ran()).AuditsAccess(shared);
        });
        var client = app.Start();

        await client.GetAsync("/twice", Claims("sub=emp-1;region=US"));
        await client.GetAsync("/shared/e", Claims("sub=emp-1;region=US"));

        Assert.Equal(["/twice", "/shared/e"], (await app.RecordsAsync()).Select(record => record.Event.Resource.Id));
    }

    [Fact]
    public async Task OptionalRouteValueTheRequestLeavesOut_RendersAsEmptyText()
    {
        await using var app = new AuditedApp(endpoints: endpoints => endpoints
            .MapGet("/items/{id?}", (string? id, HandlerCalls handlers) => handlers.Ran() + id)
            .AuditsAccess("protected", access => access.ResourceId = "item/{id}"));
        var client = app.Start();

        var all = await client.GetAsync("/items", Claims("sub=emp-1;region=US"));
        var one = await client.GetAsync("/items/5", Claims("sub=emp-1;region=US"));

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(["item/", "item/5"], (await app.RecordsAsync()).Select(record => record.Event.Resource.Id));
    }

    [Theory]
    [InlineData("user/{user}", null, "resource id 'user/{user}' names the route value 'user'")]
    [InlineData(null, "{region}", "data region '{region}' names the route value 'region'")]
    public void TemplateNamingARouteValueTheRouteLacks_FailsWhenTheEndpointIsBuilt_NamingIt(string? resourceId, string? dataRegion, string expected)
    {
        using var app = new AuditedApp(endpoints: endpoints => endpoints
            .MapGet("/typo/{userId}", (string userId) => userId)
            .AuditsAccess("protected", access =>
            {
                access.ResourceId = resourceId;
                access.DataRegion = dataRegion;
            }));

        var error = Assert.Throws<InvalidOperationException>(app.BuildEndpoints);

        Assert.Contains("/typo/{userId}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("{userId}", error.Message[error.Message.IndexOf("expected", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }
}
