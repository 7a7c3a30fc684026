using DataAccessAudit.Events;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Recording;

/// <summary>
/// The one entry point an app calls to record an access to personal data. It evaluates the policy, returns the
/// decision at once (so an app in enforce mode can refuse the access), and hands the event to the sinks in the
/// background.
/// </summary>
public interface IAccessAuditor
{
    /// <summary>Records an access the app has described in full.</summary>
    /// <param name="accessEvent">The access.</param>
    /// <returns>The policy's decision; refuse the access when it <see cref="AccessDecision.IsDenied"/>.</returns>
    AccessDecision Record(AccessEvent accessEvent);

    /// <summary>
    /// Records an access happening now: the event gets a UUID v7 id and the time from the injected clock, and the
    /// trace id of the current <see cref="System.Diagnostics.Activity"/>, if any.
    /// </summary>
    /// <param name="requester">Who accesses, and from where.</param>
    /// <param name="resource">What is accessed.</param>
    /// <param name="action">The verb: <c>read</c>, <c>write</c>, <c>export</c>, <c>delete</c> or another.</param>
    /// <returns>The policy's decision; refuse the access when it <see cref="AccessDecision.IsDenied"/>.</returns>
    AccessDecision Record(Requester requester, AccessedResource resource, string action);

    /// <summary>
    /// Records an access happening now, with its approval, purpose or number of subjects: the event gets a UUID v7
    /// id and the time from the injected clock, and the trace id of the current
    /// <see cref="System.Diagnostics.Activity"/>, if any.
    /// </summary>
    /// <param name="requester">Who accesses, and from where.</param>
    /// <param name="resource">What is accessed.</param>
    /// <param name="action">The verb: <c>read</c>, <c>write</c>, <c>export</c>, <c>delete</c> or another.</param>
    /// <param name="details">The approval, purpose and number of subjects; <c>default</c> states none of them.</param>
    /// <returns>The policy's decision; refuse the access when it <see cref="AccessDecision.IsDenied"/>.</returns>
    AccessDecision Record(Requester requester, AccessedResource resource, string action, AccessDetails details);

    /// <summary>Waits until every access recorded before the call has been written by the sinks and flushed.</summary>
    /// <param name="cancellationToken">Cancels the wait (not the writing).</param>
    /// <returns>A task that completes when the sinks hold everything recorded so far.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
