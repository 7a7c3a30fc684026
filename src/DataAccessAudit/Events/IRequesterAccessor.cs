namespace DataAccessAudit.Events;

/// <summary>
/// Tells who is making the current access, so that capture without a hand-written call (an endpoint filter, a database
/// interceptor) records the same requester for every access made on behalf of one request.
/// </summary>
/// <remarks>
/// <para>
/// An HTTP integration implements it from the current request (claims, trusted headers, the client's address); a
/// background job can implement it from its own identity. Capture that finds no accessor, or an accessor that returns
/// null, records the requester it is configured with as a fallback, whose region is unknown unless the app says
/// otherwise: an access nobody can place is reported, never assumed to be at home.
/// </para>
/// <para>
/// Implementations are called on the hot path of every captured access: resolve the requester once per request or
/// job and return the same instance afterwards.
/// </para>
/// </remarks>
public interface IRequesterAccessor
{
    /// <summary>Gets the requester of the current operation, or null when there is none (no request in flight).</summary>
    Requester? Requester { get; }
}
