using DataAccessAudit.AspNetCore.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

/// <summary>
/// Chains onto the app's <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/> so that a refusal written by
/// ASP.NET Core's problem-details service carries the trace id of the recorded event, as it does without that service.
/// </summary>
/// <remarks>
/// A post-configuration runs after every <c>AddProblemDetails(options =&gt; ...)</c> of the app, so the app's own
/// customisation is kept and still runs first, on every problem; only the library's refusals are touched after it.
/// </remarks>
internal sealed class RefusalProblemDetailsSetup : IPostConfigureOptions<ProblemDetailsOptions>
{
    public void PostConfigure(string? name, ProblemDetailsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = options.CustomizeProblemDetails;
        options.CustomizeProblemDetails = context =>
        {
            app?.Invoke(context);
            AccessRefusal.KeepEventTraceId(context);
        };
    }
}
