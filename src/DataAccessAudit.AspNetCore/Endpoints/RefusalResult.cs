using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// Runs, as an MVC result of a controller action or a Razor page, the same problem-details result a minimal API
/// endpoint returns, so all of them refuse alike.
/// </summary>
internal sealed class RefusalResult(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return result.ExecuteAsync(context.HttpContext);
    }
}
