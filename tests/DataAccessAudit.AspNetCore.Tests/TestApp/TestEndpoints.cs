using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace DataAccessAudit.AspNetCore.Tests.TestApp;

/// <summary>The minimal API endpoints of the test app.</summary>
public static class TestEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/users/{userId}/messages", (string userId, HandlerCalls handlers) => handlers.Ran())
            .AuditsAccess("protected", access =>
            {
                access.ResourceId = "user/{userId}/messages";
                access.ResourceType = "direct-message";
                access.StoredIn = "US";
                access.Purpose = "support";
            });

        endpoints.MapGet("/users/{userId}/profile", (string userId, HandlerCalls handlers) => handlers.Ran())
            .AuditsAccess(typeof(Profile), access => access.ResourceId = "user/{userId}/profile");

        endpoints.MapGet("/users/{userId}/inbox", (string userId, HandlerCalls handlers) => handlers.Ran())
            .AuditsAccess(typeof(Message), access => access.ResourceId = "user/{userId}/inbox");

        endpoints.MapGet("/regions/{region}/users/{userId}/contacts", (string region, string userId, HandlerCalls handlers) => handlers.Ran())
            .AuditsAccess("protected", access =>
            {
                access.ResourceId = "user/{userId}/contacts";
                access.DataRegion = "{region}";
            });

        endpoints.MapGet("/eu-users/{userId}", (string userId, HandlerCalls handlers) => handlers.Ran())
            .AuditsAccess("protected", access => access.DataRegionResolver = _ => Region.Parse("IE"));

        endpoints.MapGet("/open", (HandlerCalls handlers) => handlers.Ran());

        var group = endpoints.MapGroup("/grouped").AuditsAccess("protected");
        group.MapGet("/secret", (HandlerCalls handlers) => handlers.Ran());
        group.MapGet("/notice", (HandlerCalls handlers) => handlers.Ran()).AuditsAccess("public");

        // What a handler sees when its database query is refused further down: the interceptor records the refused
        // access and throws; the endpoint answers with the same refusal as an endpoint the policy denies.
        endpoints.MapGet("/users/{userId}/export", (string userId, HandlerCalls handlers, IClock clock) =>
        {
            handlers.Ran();
            var now = clock.GetCurrentInstant();
            var refused = new AccessEvent("query-1", now, new Requester("emp-9", Region.Parse("CN")), new AccessedResource("Message", Taxonomy.Protected, Region.Parse("US")), "read");
            throw new AccessDeniedException(refused, AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce).Evaluate(refused));
        }).AuditsAccess("public");

        // Endpoints nobody declared an access for: a refused query in a plain handler, and a plain failure.
        endpoints.MapGet("/plain/reports/{id}", string (string id, HandlerCalls handlers, IClock clock) =>
        {
            handlers.Ran();
            var refused = new AccessEvent($"query-{id}", clock.GetCurrentInstant(), new Requester("emp-9", Region.Parse("CN")), new AccessedResource("Report", Taxonomy.Protected, Region.Parse("US")), "read");
            throw new AccessDeniedException(refused, AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce).Evaluate(refused));
        });
        endpoints.MapGet("/plain/boom", string () => throw new InvalidOperationException("not a refusal"));
    }
}
