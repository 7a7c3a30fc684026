using DataAccessAudit.AspNetCore.Endpoints;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.Classification;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;

namespace DataAccessAudit.AspNetCore.Tests.Endpoints;

public sealed class EndpointAccessTests
{
    [Fact]
    public void Compile_CategoryTheTaxonomyDoesNotDefine_FailsNamingItAndTheCategories()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            EndpointAccess.Compile(new AuditedAccessAttribute("protcted"), Taxonomy.ProjectTexas, "GET /users/{id}"));

        Assert.Contains("GET /users/{id}", error.Message, StringComparison.Ordinal);
        Assert.Contains("'protcted'", error.Message, StringComparison.Ordinal);
        Assert.Contains("protected, public, interoperability", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ResourceTypeWithoutClassification_FailsNamingTheType()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            EndpointAccess.Compile(new AuditedAccessAttribute(typeof(HandlerCalls)), Taxonomy.ProjectTexas, "GET /x"));

        Assert.Contains(typeof(HandlerCalls).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user/{id", "never closed")]
    [InlineData("user/id}", "closes no route value")]
    [InlineData("user/{}/x", "not a route value name")]
    public void Compile_MalformedResourceTemplate_FailsNamingTheProblem(string template, string problem)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            EndpointAccess.Compile(new AuditedAccessAttribute("protected") { ResourceId = template }, Taxonomy.ProjectTexas, "GET /x"));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(template, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UK")]
    [InlineData("ZZ")]
    [InlineData("us-{region}")]
    public void Compile_DataRegionThatIsNeitherACodeNorOneRouteValue_Fails(string region)
    {
        Assert.Throws<InvalidOperationException>(() =>
            EndpointAccess.Compile(new AuditedAccessAttribute("protected") { DataRegion = region }, Taxonomy.ProjectTexas, "GET /x"));
    }

    [Fact]
    public void Compile_EmptyAction_Fails()
    {
        Assert.Throws<InvalidOperationException>(() =>
            EndpointAccess.Compile(new AuditedAccessAttribute("protected") { Action = string.Empty }, Taxonomy.ProjectTexas, "GET /x"));
    }

    [Theory]
    [InlineData("user/{userId}/messages/{messageId}", "user/8812/messages/m-1")]
    [InlineData("{userId}", "8812")]
    [InlineData("all-users", "all-users")]
    [InlineData("{userId}{messageId}", "8812m-1")]
    public void ResourceId_RendersTheTemplateFromRouteValues(string template, string expected)
    {
        var access = EndpointAccess.Compile(new AuditedAccessAttribute("protected") { ResourceId = template }, Taxonomy.ProjectTexas, "GET /x");
        var context = new DefaultHttpContext();
        context.Request.RouteValues["userId"] = "8812";
        context.Request.RouteValues["messageId"] = "m-1";

        Assert.Equal(expected, access.ResourceId(context));
    }

    [Fact]
    public void CheckRouteValues_TemplateNamingAValueTheRouteLacks_FailsNamingTheEndpointTheValueAndTheParameters()
    {
        var access = EndpointAccess.Compile(new AuditedAccessAttribute("protected") { ResourceId = "user/{user}" }, Taxonomy.ProjectTexas, "GET /typo/{userId}");

        var error = Assert.Throws<InvalidOperationException>(() => access.CheckRouteValues(RoutePatternFactory.Parse("/typo/{userId}"), "GET /typo/{userId}"));

        Assert.Equal(
            "GET /typo/{userId}: the audited access resource id 'user/{user}' names the route value 'user', which the route '/typo/{userId}' does not have: expected one of its parameters ({userId}).",
            error.Message);
    }

    [Theory]
    [InlineData("/users/{userId}")]
    [InlineData("/users/{userId?}")]
    [InlineData("/users/{userId=me}")]
    public void CheckRouteValues_TemplateNamingAParameterOfTheRoute_Passes(string route)
    {
        var access = EndpointAccess.Compile(new AuditedAccessAttribute("protected") { ResourceId = "user/{userId}" }, Taxonomy.ProjectTexas, "GET " + route);

        access.CheckRouteValues(RoutePatternFactory.Parse(route), "GET " + route);
    }

    [Fact]
    public void ResourceId_OptionalRouteValueTheRequestLeftOut_RendersAsEmptyText()
    {
        var access = EndpointAccess.Compile(new AuditedAccessAttribute("protected") { ResourceId = "user/{userId}/messages" }, Taxonomy.ProjectTexas, "GET /x");

        Assert.Equal("user//messages", access.ResourceId(new DefaultHttpContext()));
    }
}
