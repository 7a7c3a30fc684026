using System.Net;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace DataAccessAudit.AspNetCore.Tests.Endpoints;

// An AccessDeniedException from an endpoint nobody declared an access for (a refused EF Core query in a plain
// handler) is answered by ASP.NET Core's exception handler middleware with the refusal of an audited endpoint.
public sealed class ExceptionHandlerTests
{
    [Fact]
    public async Task A_refusal_from_an_endpoint_that_is_not_audited_is_answered_403_with_the_problem_body()
    {
        // ASP.NET Core's documented set-up: problem details for errors, and the exception handler middleware.
        await using var app = new AuditedApp(PolicyMode.Enforce, services: services => services.AddProblemDetails(), middleware: builder => builder.UseExceptionHandler());
        var client = app.Start();

        var response = await client.GetAsync("/plain/reports/7", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("https://github.com/data-access-audit/data-access-audit/blob/main/docs/aspnetcore.md#refusals", problem.Type);
        Assert.Equal(403, problem.Status);
        Assert.Equal("denied", problem.Member("outcome"));
        Assert.Equal("query-7", problem.Member("eventId"));
        Assert.Equal("project-texas/1", problem.Member("policy"));
        Assert.Contains("cross-border-protected-access", problem.Findings);
        Assert.Equal(1, app.Handlers.Count);
    }

    [Fact]
    public async Task Other_exceptions_are_left_to_the_apps_own_handling()
    {
        await using var app = new AuditedApp(PolicyMode.Enforce, middleware: builder => builder.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return context.Response.WriteAsync("the app's own handler", context.RequestAborted);
            },
        }));
        var client = app.Start();

        var failed = await client.GetAsync("/plain/boom", TestContext.Current.CancellationToken);
        var refused = await client.GetAsync("/plain/reports/8", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("the app's own handler", await failed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("query-8", (await Problem.ReadAsync(refused)).Member("eventId"));
    }

    [Fact]
    public async Task A_refusal_while_the_response_of_an_audited_endpoint_is_written_is_answered_403_with_the_problem_body()
    {
        // The handler returns the query; it runs after the endpoint's filter returned, while the result is serialised.
        await using var app = new AuditedApp(
            PolicyMode.Enforce,
            services: services => services.AddProblemDetails(),
            middleware: builder => builder.UseExceptionHandler(),
            endpoints: endpoints => endpoints.MapGet("/stream", (IClock clock) => RefusedQuery(clock)).AuditsAccess("public"));
        var client = app.Start();

        var response = await client.GetAsync("/stream", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("query-stream", problem.Member("eventId"));
        Assert.Equal("denied", problem.Member("outcome"));
        Assert.Single(await app.RecordsAsync());
    }

    [Fact]
    public void Adding_the_integration_twice_registers_the_handler_once()
    {
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.AddAspNetCore().AddAspNetCore());
        Assert.Single(services, d => d.ServiceType == typeof(IExceptionHandler));
    }

    // What EF Core's interceptor does when the first row of a returned query is refused in enforce mode.
    private static async IAsyncEnumerable<string> RefusedQuery(IClock clock)
    {
        await Task.Yield();
        var refused = new AccessEvent("query-stream", clock.GetCurrentInstant(), new Requester("emp-9", Region.Parse("CN")), new AccessedResource("Message", Taxonomy.Protected, Region.Parse("US")), "read");
        throw new AccessDeniedException(refused, AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce).Evaluate(refused));
#pragma warning disable CS0162 // An iterator needs a yield, which the refusal never reaches.
        yield break;
#pragma warning restore CS0162
    }
}
