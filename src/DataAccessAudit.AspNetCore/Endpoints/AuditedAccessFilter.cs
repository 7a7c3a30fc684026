using DataAccessAudit.AspNetCore;
using DataAccessAudit.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// The filter, added to every controller action and every Razor page, that audits those carrying
/// <see cref="AuditedAccessAttribute"/> (on the action, its controller, the page model or the page, or given to the
/// endpoints with <c>.AuditsAccess(...)</c>): it runs after model binding (for a page, after its handler is selected)
/// and authorization, before the action or page handler.
/// </summary>
/// <remarks>
/// MVC runs action filters for controllers only, and page endpoints carry an action descriptor, so the endpoint
/// filters of <c>.AuditsAccess(...)</c> leave them alone too: without the page half a page would be served
/// unrecorded, in enforce mode too. The page half runs even for a page with no handler for the request's method,
/// which still renders data.
/// </remarks>
internal sealed class AuditedAccessFilter(HttpAccessRecorder recorder, ActionAccesses accesses) : IAsyncActionFilter, IAsyncPageFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        if (!Record(context, out var refusal))
        {
            await next().ConfigureAwait(false);
            return;
        }

        if (refusal is not null)
        {
            context.Result = refusal;
            return;
        }

        var executed = await next().ConfigureAwait(false);
        if (RefusalOf(executed.Exception, executed.ExceptionHandled, executed.HttpContext) is { } refused)
        {
            executed.Result = refused;
            executed.ExceptionHandled = true;
        }
    }

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!Record(context, out var refusal))
        {
            await next().ConfigureAwait(false);
            return;
        }

        if (refusal is not null)
        {
            context.Result = refusal;
            return;
        }

        var executed = await next().ConfigureAwait(false);
        if (RefusalOf(executed.Exception, executed.ExceptionHandled, executed.HttpContext) is { } refused)
        {
            executed.Result = refused;
            executed.ExceptionHandled = true;
        }
    }

    // Records the access when the action or page is audited (false when it is not); refusal is the response to send
    // instead of running it, or null to run it.
    private bool Record(FilterContext context, out IActionResult? refusal)
    {
        refusal = null;
        var http = context.HttpContext;
        if (accesses.Access(context.ActionDescriptor, http.GetEndpoint()) is not { } access)
        {
            return false;
        }

        refusal = recorder.Record(http, access) is { } refused ? new RefusalResult(refused) : null;
        return true;
    }

    // A later refusal (the EF Core interceptor's AccessDeniedException) answered as the refusal above.
    private static RefusalResult? RefusalOf(Exception? exception, bool handled, HttpContext http) =>
        !handled && exception is AccessDeniedException denied && HttpAccessRecorder.Refusal(denied, http) is { } refused
            ? new RefusalResult(refused)
            : null;
}
