using DataAccessAudit.AspNetCore;
using DataAccessAudit.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// The page filter, added to every Razor page, that audits the pages carrying <see cref="AuditedAccessAttribute"/>
/// (on the page model or the page, or given to the endpoints with <c>MapRazorPages().AuditsAccess(...)</c>): it runs
/// after the handler is selected, its arguments bound and authorization passed, before the handler.
/// </summary>
/// <remarks>
/// MVC runs action filters for controllers only, and page endpoints carry an action descriptor, so the endpoint
/// filters of <c>.AuditsAccess(...)</c> leave them alone too: without this filter a page would be served unrecorded,
/// in enforce mode too. It runs even for a page with no handler for the request's method, which still renders data.
/// </remarks>
internal sealed class AuditedAccessPageFilter(HttpAccessRecorder recorder, ActionAccesses accesses) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var access = accesses.Access(context.ActionDescriptor, http.GetEndpoint());
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
}
