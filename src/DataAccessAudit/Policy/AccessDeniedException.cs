using System.Globalization;
using DataAccessAudit.Events;

namespace DataAccessAudit.Policy;

/// <summary>
/// A policy in enforce mode refused an access that was captured without a hand-written call (by a database
/// interceptor, for instance), so the data never reached the caller. The refused access has been recorded.
/// </summary>
/// <remarks>
/// Apps map it to a refusal of their own (an HTTP 403, a failed job); the ASP.NET Core integration maps it to the same
/// problem-details response as an endpoint the policy refuses.
/// </remarks>
public sealed class AccessDeniedException : Exception
{
    /// <summary>Creates the exception without a recorded access.</summary>
    public AccessDeniedException()
        : base("The data access policy refused the access.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">What was refused.</param>
    public AccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was refused.</param>
    /// <param name="innerException">The cause.</param>
    public AccessDeniedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a recorded access and the decision that refused it.</summary>
    /// <param name="accessEvent">The refused access, as recorded.</param>
    /// <param name="decision">The decision; its outcome is <see cref="AccessOutcome.Denied"/>.</param>
    public AccessDeniedException(AccessEvent accessEvent, AccessDecision decision)
        : base(Describe(accessEvent, decision))
    {
        AccessEvent = accessEvent;
        Decision = decision;
    }

    /// <summary>Gets the refused access as it was recorded, or null when the exception was created without one.</summary>
    public AccessEvent? AccessEvent { get; }

    /// <summary>Gets the decision that refused the access.</summary>
    public AccessDecision Decision { get; }

    // The message travels wherever the app's exceptions go (an unhandled exception's log, EF Core's query failure
    // log, a span's exception event), so it names no requester or resource id: the event id finds the record, and the
    // ids stay in AccessEvent for code that means to use them.
    private static string Describe(AccessEvent accessEvent, AccessDecision decision)
    {
        ArgumentNullException.ThrowIfNull(accessEvent);
        var resource = accessEvent.Resource;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Policy {decision.Policy ?? "(unnamed)"} refused a {accessEvent.Action} of {resource.Category} data of {resource.Region} " +
            $"by a requester in {accessEvent.Requester.Region} ({decision.Findings}); recorded as event {accessEvent.Id}.");
    }
}
