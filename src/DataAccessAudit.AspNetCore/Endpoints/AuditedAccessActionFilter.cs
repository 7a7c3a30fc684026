using System.Runtime.CompilerServices;
using DataAccessAudit.AspNetCore;
using DataAccessAudit.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Routing;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// The action filter, added to every controller action, that audits the actions carrying <see cref="AuditedAccessAttribute"/>
/// (on the action, its controller, or given to the endpoints with <c>.AuditsAccess(...)</c>): it runs after model binding
/// and authorization, before the action.
/// </summary>
internal sealed class AuditedAccessActionFilter(HttpAccessRecorder recorder) : IAsyncActionFilter
{
    // The access of each endpoint, worked out and checked when the app starts (AuditedEndpointsStartupCheck), or of
    // each action outside endpoint routing, on its first request.
    private readonly ConditionalWeakTable<object, Declared> _accesses = [];

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var http = context.HttpContext;
        var access = Access(context.ActionDescriptor, http.GetEndpoint());
        if (access is null)
        {
            await next().ConfigureAwait(false);
            return;
        }

        if (recorder.Record(http, access) is { } refusal)
        {
            context.Result = new RefusalResult(refusal);
            return;
        }

        var executed = await next().ConfigureAwait(false);
        if (!executed.ExceptionHandled && executed.Exception is AccessDeniedException denied && HttpAccessRecorder.Refusal(denied, http) is { } refused)
        {
            executed.Result = new RefusalResult(refused);
            executed.ExceptionHandled = true;
        }
    }

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

    // The declaration closest to the action wins: the action's own attribute, then its controller's, then one given
    // to the endpoints (MapControllers() or its groups). MVC lists the controller's attributes before the action's in
    // the action's metadata, and endpoint conventions add theirs to the endpoint after that, closest group last.
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

    /// <summary>Runs the same problem-details result a minimal API endpoint returns, so both refuse alike.</summary>
    private sealed class RefusalResult(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
