using DataAccessAudit.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace DataAccessAudit.AspNetCore.Endpoints;

// Answers an AccessDeniedException that escapes any endpoint, audited or not (a query refused by the EF Core
// interceptor in enforce mode, in a handler nobody declared an access for), with the refusal an audited endpoint
// gives: 403 and the problem body naming the refused event. It runs in ASP.NET Core's exception handler middleware,
// so the app calls app.UseExceptionHandler(); any other exception is left to the app's own handlers.
internal sealed class AccessDeniedExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // An exception that merely wraps the refusal (a TargetInvocationException, an AggregateException from a
            // task) still means the policy refused the access.
            if (current is AccessDeniedException && HttpAccessRecorder.Refusal(current, httpContext) is { } refusal)
            {
                await refusal.ExecuteAsync(httpContext).ConfigureAwait(false);
                return true;
            }
        }

        return false;
    }
}
