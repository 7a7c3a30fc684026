using System.Runtime.CompilerServices;
using DataAccessAudit.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// The declared access of each MVC action, controller action or Razor page alike: worked out and checked once, when
/// the app starts (<see cref="AuditedEndpointsStartupCheck"/>), or for an action outside endpoint routing on its first
/// request, and shared by both halves of <see cref="AuditedAccessFilter"/>, so actions and pages are audited by one rule.
/// </summary>
internal sealed class ActionAccesses(HttpAccessRecorder recorder)
{
    private readonly ConditionalWeakTable<object, Declared> _accesses = [];

    /// <summary>The access of an action reached through <paramref name="endpoint"/>, checked and kept on first use; null when nothing declares one.</summary>
    public EndpointAccess? Access(ActionDescriptor action, Endpoint? endpoint)
    {
        object key = endpoint ?? (object)action;
        if (_accesses.TryGetValue(key, out var known))
        {
            return known.Access;
        }

        EndpointAccess? access = null;
        if (Closest(action, endpoint) is { } declaration)
        {
            access = EndpointAccess.ForEndpoint(
                declaration,
                recorder.Policy.Taxonomy,
                action.DisplayName ?? action.Id,
                (endpoint as RouteEndpoint)?.RoutePattern,
                endpoint?.Metadata ?? (IEnumerable<object>)action.EndpointMetadata);
        }

        _accesses.AddOrUpdate(key, new Declared(access));
        return access;
    }

    // The declaration closest to the handler wins: the action's (or page handler's) own attribute, then its
    // controller's (or page model's), then one given to the endpoints (MapControllers(), MapRazorPages() or their
    // groups). MVC lists the class's attributes before the method's in the action's metadata, and endpoint
    // conventions add theirs to the endpoint after that, closest group last.
    private static AuditedAccessAttribute? Closest(ActionDescriptor action, Endpoint? endpoint)
    {
        var metadata = action.EndpointMetadata;
        for (var i = metadata.Count - 1; i >= 0; i--)
        {
            if (metadata[i] is AuditedAccessAttribute declaration)
            {
                return declaration;
            }
        }

        return endpoint?.Metadata.GetMetadata<AuditedAccessAttribute>();
    }

    /// <summary>An endpoint's access, or null when nothing declares one.</summary>
    private sealed record Declared(EndpointAccess? Access);
}
