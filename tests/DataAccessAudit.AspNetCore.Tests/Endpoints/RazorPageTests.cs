using System.Net;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static DataAccessAudit.AspNetCore.Tests.TestApp.Requests;

namespace DataAccessAudit.AspNetCore.Tests.Endpoints;

public sealed class RazorPageTests
{
    [Fact]
    public async Task AttributedPage_EnforceMode_RefusesWithProblemDetailsBeforeTheHandlerRuns()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce);
        var client = app.Start();

        var response = await client.GetAsync("/page/7", Claims("sub=emp-4411;region=CN"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("denied", problem.Member("outcome"));
        var accessEvent = Assert.Single(await app.RecordsAsync()).Event;
        Assert.Equal(accessEvent.Id, problem.Member("eventId"));
        Assert.Equal("user/7/page", accessEvent.Resource.Id);
        Assert.Equal(0, app.Handlers.Count);
    }

    [Fact]
    public async Task PageCoveredByMapRazorPages_EnforceMode_RefusesBeforeTheHandlerRuns()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce, pages: pages => pages.AuditsAccess("protected"));
        var client = app.Start();

        var response = await client.GetAsync("/open/7", Claims("sub=emp-4411;region=CN"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        var accessEvent = Assert.Single(await app.RecordsAsync()).Event;
        Assert.Equal(accessEvent.Id, problem.Member("eventId"));
        Assert.Equal("/open/7", accessEvent.Resource.Id);
        Assert.Equal(0, app.Handlers.Count);
    }

    [Fact]
    public async Task AttributedPage_AuditMode_RecordsTheRouteValueInTheResourceIdAndRunsTheHandler()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        var response = await client.GetAsync("/page/7", Claims("sub=emp-1;region=US"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secret of 7", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var accessEvent = Assert.Single(await app.RecordsAsync()).Event;
        Assert.Equal("user/7/page", accessEvent.Resource.Id);
        Assert.Equal(1, app.Handlers.Count);
    }

    [Fact]
    public async Task PageAttribute_WinsOverOneGivenToMapRazorPages()
    {
        await using var app = new AuditedApp(pages: pages => pages.AuditsAccess("public", access => access.ResourceId = "pages"));
        var client = app.Start();

        await client.GetAsync("/page/7", Claims("sub=emp-1;region=US"));
        await client.GetAsync("/open/7", Claims("sub=emp-1;region=US"));

        Assert.Equal(
            [("user/7/page", "protected"), ("pages", "public")],
            (await app.RecordsAsync()).Select(record => (record.Event.Resource.Id, record.Event.Resource.Category.ToString())));
    }

    [Fact]
    public async Task PageWithoutDeclaration_RecordsNothing()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce);
        var client = app.Start();

        var response = await client.GetAsync("/open/7", Claims("sub=emp-4411;region=CN"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await app.RecordsAsync());
        Assert.Equal(1, app.Handlers.Count);
    }

    [Fact]
    public void AttributedPageThatCachesItsOutput_StopsTheStartNamingThePage()
    {
        // The page model's declaration is checked before the app serves, not on the page's first request.
        using var app = new AuditedApp(pages: pages => pages.CacheOutput());

        var error = Assert.Throws<InvalidOperationException>(() => app.Start());

        Assert.Contains("/Secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("CacheOutput()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PageConventionNamingARouteValueThePageLacks_StopsTheStart()
    {
        using var app = new AuditedApp(pages: pages => pages.AuditsAccess("protected", access => access.ResourceId = "user/{nobody}"));

        var error = Assert.Throws<InvalidOperationException>(() => app.Start());

        Assert.Contains("'nobody'", error.Message, StringComparison.Ordinal);
    }
}
