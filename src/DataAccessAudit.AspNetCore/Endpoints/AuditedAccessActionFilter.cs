using DataAccessAudit.AspNetCore;
using DataAccessAudit.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// The action filter, added to every controller action, that audits the actions carrying <see cref="AuditedAccessAttribute"/>
/// (on the action, its controller, or given to the endpoints with <c>.AuditsAccess(...)</c>): it runs after model binding
/// and authorization, before the action.
/// </summary>
internal sealed class AuditedAccessActionFilter(HttpAccessRecorder recorder, ActionAccesses accesses) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
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
