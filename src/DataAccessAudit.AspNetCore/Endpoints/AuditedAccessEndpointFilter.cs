using Microsoft.AspNetCore.Http;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>The filter of a minimal API endpoint that audits its access: records, then runs the handler or refuses.</summary>
internal sealed class AuditedAccessEndpointFilter(HttpAccessRecorder recorder, EndpointAccess access) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (recorder.Record(context.HttpContext, access) is { } refusal)
        {
            return ValueTask.FromResult<object?>(refusal);
        }

        ValueTask<object?> handled;
        try
        {
            handled = next(context);
        }
        catch (Exception exception) when (HttpAccessRecorder.Refusal(exception, context.HttpContext) is not null)
        {
            return ValueTask.FromResult<object?>(HttpAccessRecorder.Refusal(exception, context.HttpContext));
        }

        return handled.IsCompletedSuccessfully ? handled : Awaited(handled, context.HttpContext);
    }

    // Only a handler that did not finish synchronously pays for a state machine.
    private static async ValueTask<object?> Awaited(ValueTask<object?> handled, HttpContext context)
    {
        try
        {
            return await handled.ConfigureAwait(false);
        }
        catch (Exception exception) when (HttpAccessRecorder.Refusal(exception, context) is not null)
        {
            return HttpAccessRecorder.Refusal(exception, context);
        }
    }
}
