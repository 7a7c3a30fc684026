using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// The responses of an audited endpoint that does not run: an RFC 9457 problem-details body, written without
/// authentication services (a refusal by the data policy is not a challenge to sign in).
/// </summary>
internal static class AccessRefusal
{
    /// <summary>The problem type of a refusal by the data access policy; its documentation explains the members.</summary>
    public const string DeniedType = "https://github.com/data-access-audit/data-access-audit/blob/main/docs/aspnetcore.md#refusals";

    /// <summary>The problem type of a request whose route values do not say where its data is.</summary>
    public const string BadRegionType = "https://github.com/data-access-audit/data-access-audit/blob/main/docs/aspnetcore.md#bad-region";

    /// <summary>The problem type of a request naming text the audit cannot record, such as U+0000 in a route value.</summary>
    public const string UnrecordableType = "https://github.com/data-access-audit/data-access-audit/blob/main/docs/aspnetcore.md#unrecordable";

    // The request's item holding the trace id of the event a refusal names (null when the event has none).
    private static readonly object EventTraceIdKey = new();

    public static IResult Denied(AccessEvent accessEvent, AccessDecision decision, HttpContext context)
    {
        var findings = new string[decision.Findings.Count];
        var i = 0;
        foreach (var finding in decision.Findings)
        {
            findings[i++] = finding.Name;
        }

        var problem = new ProblemDetails
        {
            Type = DeniedType,
            Title = "The data access policy refused this access.",
            Status = StatusCodes.Status403Forbidden,
            Detail = $"{accessEvent.Action} of {accessEvent.Resource.Category} data at home in {accessEvent.Resource.Region} by a requester in {accessEvent.Requester.Region}: {string.Join(", ", findings)}.",
        };
        problem.Extensions["outcome"] = OutcomeNames.Format(decision.Outcome);
        problem.Extensions["findings"] = findings;
        problem.Extensions["policy"] = decision.Policy;
        problem.Extensions["eventId"] = accessEvent.Id;
        if (accessEvent.TraceId is { } traceId)
        {
            problem.Extensions["traceId"] = traceId;
        }

        context.Items[EventTraceIdKey] = accessEvent.TraceId;
        return TypedResults.Problem(problem);
    }

    /// <summary>
    /// Gives a refusal written by ASP.NET Core's problem-details service the trace id of the event it names again.
    /// </summary>
    /// <remarks>
    /// With <c>AddProblemDetails()</c> the writers stamp <c>traceId</c> with <c>Activity.Id</c>
    /// (<c>00-&lt;trace&gt;-&lt;span&gt;-00</c>) before the app's customisation runs, so the body would name a trace id
    /// the log does not hold. A refusal is told apart from the app's other problems by its type and the item
    /// <see cref="Denied"/> left on the request; when its event has no trace id, neither has the body.
    /// </remarks>
    public static void KeepEventTraceId(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Type == DeniedType && context.HttpContext.Items.TryGetValue(EventTraceIdKey, out var value))
        {
            if (value is string traceId)
            {
                context.ProblemDetails.Extensions["traceId"] = traceId;
            }
            else
            {
                context.ProblemDetails.Extensions.Remove("traceId");
            }
        }
    }

    public static IResult Unrecordable(string detail) => TypedResults.Problem(new ProblemDetails
    {
        Type = UnrecordableType,
        Title = "The request names text the audit log cannot record.",
        Status = StatusCodes.Status400BadRequest,
        Detail = detail,
    });

    public static IResult BadRegion(string detail) => TypedResults.Problem(new ProblemDetails
    {
        Type = BadRegionType,
        Title = "The request does not say where the data it asks for is at home.",
        Status = StatusCodes.Status400BadRequest,
        Detail = detail,
    });
}
