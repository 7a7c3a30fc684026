using System.Net;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Builder;
using static DataAccessAudit.AspNetCore.Tests.TestApp.Requests;

namespace DataAccessAudit.AspNetCore.Tests.Endpoints;

public sealed class ControllerEndpointTests
{
    [Fact]
    public async Task AuditedAction_RecordsTheDeclaredAccessOnce()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        var response = await client.GetAsync("/api/users/7/contacts", Claims("sub=emp-1;region=US"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accessEvent = Assert.Single(await app.RecordsAsync()).Event;
        Assert.Equal("user/7/contacts", accessEvent.Resource.Id);
        Assert.Equal("contact-list", accessEvent.Resource.Type);
        Assert.Equal(1, app.Handlers.Count);
    }

    [Fact]
    public async Task AuditedAction_EnforceMode_RefusesWithProblemDetailsBeforeTheActionRuns()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce);
        var client = app.Start();

        var response = await client.GetAsync("/api/users/7/contacts", Claims("sub=emp-4411;region=CN"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("denied", problem.Member("outcome"));
        Assert.Equal(Assert.Single(await app.RecordsAsync()).Event.Id, problem.Member("eventId"));
        Assert.Equal(0, app.Handlers.Count);
    }

    [Fact]
    public async Task ActionWithoutDeclaration_RecordsNothing()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce);
        var client = app.Start();

        var response = await client.GetAsync("/api/users/7/name", Claims("sub=emp-4411;region=CN"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await app.RecordsAsync());
    }

    [Fact]
    public async Task ControllerDeclaration_AppliesToItsActions()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        await client.GetAsync("/api/backups", Claims("sub=emp-1;region=US"));

        var record = Assert.Single(await app.RecordsAsync());
        Assert.Equal("backups", record.Event.Resource.Id);
        Assert.Equal(Region.Parse("SG"), record.Event.Resource.StoredIn);
        Assert.True(record.Decision!.Value.Findings.Contains(Finding.StoredOutsideHomeJurisdiction));
    }

    [Fact]
    public async Task ActionDeclaration_WinsOverItsControllers()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        await client.GetAsync("/api/reports/7/salary", Claims("sub=emp-1;region=US"));
        await client.GetAsync("/api/reports/7/summary", Claims("sub=emp-1;region=US"));

        Assert.Equal(
            [("user/7/salary", "protected"), ("reports", "public")],
            (await app.RecordsAsync()).Select(record => (record.Event.Resource.Id, record.Event.Resource.Category.ToString())));
    }

    [Fact]
    public async Task DeclarationOnMapControllers_IsOverriddenByTheActionsAndTheControllers_AndAppliesToTheRest()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce, controllers: controllers => controllers.AuditsAccess("public"));
        var client = app.Start();

        var action = await client.GetAsync("/api/users/7/contacts", Claims("sub=emp-4411;region=CN"));
        var controller = await client.GetAsync("/api/backups", Claims("sub=emp-4411;region=CN"));
        var undeclared = await client.GetAsync("/api/users/7/name", Claims("sub=emp-4411;region=CN"));

        Assert.Equal(HttpStatusCode.Forbidden, action.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, controller.StatusCode);
        Assert.Equal(HttpStatusCode.OK, undeclared.StatusCode);
        Assert.Equal(
            [("user/7/contacts", "protected"), ("backups", "protected"), ("/api/users/7/name", "public")],
            (await app.RecordsAsync()).Select(record => (record.Event.Resource.Id, record.Event.Resource.Category.ToString())));
        Assert.Equal(1, app.Handlers.Count);
    }
}
