using System.Diagnostics;
using System.Net;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static DataAccessAudit.AspNetCore.Tests.TestApp.Requests;

namespace DataAccessAudit.AspNetCore.Tests.Endpoints;

// With AddProblemDetails(), ASP.NET Core's problem-details writers stamp their own traceId (Activity.Id); a refusal
// must still name the trace id of the event the log holds, so support can follow one id from the body to the log.
public sealed class RefusalTraceIdTests
{
    private static readonly (string, string) AcceptJson = ("Accept", "application/json");

    [Fact]
    public async Task RefusalOfAMinimalApiEndpoint_WithProblemDetails_CarriesTheEventsTraceId_AndTheAppsCustomisation()
    {
        await using var app = new AuditedApp(
            PolicyMode.Enforce,
            services: services => services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            {
                context.ProblemDetails.Extensions["traceId"] = "the app's";
                context.ProblemDetails.Extensions["node"] = "web-1";
            }));
        var client = app.Start();

        var response = await client.GetAsync("/users/1/messages", Claims("sub=emp-4411;region=CN"), AcceptJson);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        var recorded = Assert.Single(await app.RecordsAsync()).Event;
        Assert.Matches("^[0-9a-f]{32}$", recorded.TraceId);
        Assert.Equal(recorded.TraceId, problem.Member("traceId"));
        Assert.Equal("web-1", problem.Member("node"));
    }

    [Fact]
    public async Task RefusalOfAnApiControllerAction_WithProblemDetails_CarriesTheEventsTraceId()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce, services: services => services.AddProblemDetails());
        var client = app.Start();

        var response = await client.GetAsync("/api/users/7/contacts", Claims("sub=emp-4411;region=CN"), AcceptJson);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var recorded = Assert.Single(await app.RecordsAsync()).Event;
        Assert.Equal(recorded.TraceId, (await Problem.ReadAsync(response)).Member("traceId"));
    }

    [Fact]
    public async Task RefusedQuery_AnsweredByTheExceptionHandler_WithProblemDetails_CarriesTheQueryEventsTraceId()
    {
        // What EF Core's interceptor records in a request: the request's trace id.
        string? queryTraceId = null;
        await using var app = new AuditedApp(
            PolicyMode.Enforce,
            services: services => services.AddProblemDetails(),
            middleware: builder => builder.UseExceptionHandler(),
            endpoints: endpoints => endpoints.MapGet("/plain/traced", string (IClock clock) =>
            {
                queryTraceId = Activity.Current!.TraceId.ToHexString();
                var refused = new AccessEvent("query-traced", clock.GetCurrentInstant(), new Requester("emp-9", Region.Parse("CN")), new AccessedResource("Report", Taxonomy.Protected, Region.Parse("US")), "read")
                {
                    TraceId = queryTraceId,
                };
                throw new AccessDeniedException(refused, AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce).Evaluate(refused));
            }));
        var client = app.Start();

        var response = await client.GetAsync("/plain/traced", AcceptJson);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("query-traced", problem.Member("eventId"));
        Assert.Matches("^[0-9a-f]{32}$", queryTraceId);
        Assert.Equal(queryTraceId, problem.Member("traceId"));
    }

    [Fact]
    public async Task RefusalOfAnEventWithoutTraceId_WithProblemDetails_NamesNoTraceId()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce, services: services => services.AddProblemDetails(), middleware: builder => builder.UseExceptionHandler());
        var client = app.Start();

        var response = await client.GetAsync("/plain/reports/7", AcceptJson);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("query-7", problem.Member("eventId"));
        Assert.False(problem.Body.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task OtherProblems_KeepTheWritersTraceId()
    {
        await using var app = new AuditedApp(
            PolicyMode.Enforce,
            services: services => services.AddProblemDetails(),
            endpoints: endpoints => endpoints.MapGet("/plain/conflict", () => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict)));
        var client = app.Start();

        var response = await client.GetAsync("/plain/conflict", AcceptJson);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", (await Problem.ReadAsync(response)).Member("traceId"));
    }
}
