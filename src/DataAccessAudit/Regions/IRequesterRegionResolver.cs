namespace DataAccessAudit.Regions;

/// <summary>
/// Tells where a requester physically was from something the app knows about the request: a time zone id,
/// a claim of the signed-in user, an IP address looked up in a geolocation database.
/// </summary>
/// <typeparam name="TSource">What the region is read from, such as an IANA time zone id, a <c>ClaimsPrincipal</c> or an <c>IPAddress</c>.</typeparam>
/// <remarks>
/// <para>
/// Resolve the region once per request or per session and put it in the <see cref="Events.Requester"/>; the policy
/// evaluator only ever sees the resulting <see cref="Region"/>, so a slow resolver never slows down an evaluation.
/// </para>
/// <para>
/// When a resolver cannot tell, record <see cref="Region.Unknown"/> rather than guessing: the policy treats an
/// unknown requester region as abroad and reports it (<c>unknown-requester-region</c>), which is the safe side.
/// </para>
/// </remarks>
public interface IRequesterRegionResolver<in TSource>
{
    /// <summary>Tries to tell the requester's region from <paramref name="source"/>.</summary>
    /// <param name="source">What the app knows about the request.</param>
    /// <param name="region">The region; <see cref="Region.Unknown"/> when the source does not tell.</param>
    /// <returns>True when the source tells the region.</returns>
    bool TryResolve(TSource source, out Region region);
}
