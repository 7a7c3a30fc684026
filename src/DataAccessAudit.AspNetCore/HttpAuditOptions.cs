using System.Security.Claims;

namespace DataAccessAudit.AspNetCore;

/// <summary>
/// How the ASP.NET Core integration tells who made a request and from where, and the defaults of audited endpoints.
/// </summary>
/// <remarks>
/// <para>
/// The requester's region is taken from the first source that tells it, strongest first: the region claim of the
/// authenticated user, the region header of a trusted proxy, the IP database, any
/// <c>IRequesterRegionResolver&lt;HttpContext&gt;</c> the app registers, and last the client's time zone header. When
/// none tells, the region is unknown and the policy reports it (fail closed). A source whose setting is null is off.
/// </para>
/// <para>
/// Headers that name the requester or their region (<see cref="RequesterIdHeader"/>, <see cref="RegionHeader"/>,
/// <see cref="OrganizationHeader"/>, <see cref="ForwardedForHeader"/>) are read only from a peer listed in
/// <see cref="TrustedProxies"/>: anyone else could set them to appear at home. The time zone header is the client's own
/// word, like its clock, so it is a hint consulted only when no stronger source answered: it never overrides the IP
/// database.
/// </para>
/// </remarks>
public sealed class HttpAuditOptions
{
    /// <summary>Gets the claim types that hold the requester's id, tried in order. Default: <c>sub</c>, then <see cref="ClaimTypes.NameIdentifier"/>.</summary>
    public IList<string> IdClaimTypes { get; } = ["sub", ClaimTypes.NameIdentifier];

    /// <summary>Gets or sets the claim type that holds the requester's region as an ISO 3166-1 alpha-2 code. Default: <c>region</c>; null for none.</summary>
    public string? RegionClaimType { get; set; } = "region";

    /// <summary>Gets or sets the claim type that holds the requester's organization. Default: <c>org</c>; null for none.</summary>
    public string? OrganizationClaimType { get; set; } = "org";

    /// <summary>Gets or sets the claim type of the requester's roles. Default: <see cref="ClaimTypes.Role"/>; null for none.</summary>
    public string? RoleClaimType { get; set; } = ClaimTypes.Role;

    /// <summary>
    /// Gets the addresses (<c>10.0.0.7</c>) and networks (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) of the proxies and
    /// gateways whose headers are trusted. Default: none, so no header is trusted.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>Gets or sets the header, set by a trusted proxy, that holds the requester's id. Default: null (off).</summary>
    public string? RequesterIdHeader { get; set; }

    /// <summary>Gets or sets the header, set by a trusted proxy, that holds the requester's region. Default: null (off).</summary>
    public string? RegionHeader { get; set; }

    /// <summary>Gets or sets the header, set by a trusted proxy, that holds the requester's organization. Default: null (off).</summary>
    public string? OrganizationHeader { get; set; }

    /// <summary>
    /// Gets or sets the header, appended to by trusted proxies, that lists the client addresses a request passed
    /// through; the IP database looks up the last address that is not a trusted proxy. Default: <c>X-Forwarded-For</c>.
    /// </summary>
    public string? ForwardedForHeader { get; set; } = "X-Forwarded-For";

    /// <summary>
    /// Gets or sets the header that holds the client's IANA time zone id, such as <c>Asia/Shanghai</c>: a hint, read
    /// only when no claim, trusted header, IP database or app resolver tells the region. Default: null (off).
    /// </summary>
    public string? TimeZoneHeader { get; set; }

    /// <summary>
    /// Gets or sets the path of an IP-to-country database in MaxMind's <c>.mmdb</c> format (GeoLite2 or GeoIP2
    /// Country or City, or any database whose records carry <c>country.iso_code</c>). A relative path is taken from
    /// the host's content root (beside the app, wherever it was started from), or from the current directory when
    /// there is no host. Default: null (off).
    /// </summary>
    public string? IpDatabasePath { get; set; }

    /// <summary>Gets or sets the requester id recorded when a request names nobody. Default: <c>anonymous</c>.</summary>
    public string AnonymousRequesterId { get; set; } = "anonymous";

    /// <summary>
    /// Gets or sets the home region of the data of audited endpoints that do not declare one, such as <c>US</c> for an
    /// app that only holds US users' data. Default: null, so every audited endpoint must declare it.
    /// </summary>
    public string? DefaultDataRegion { get; set; }

    /// <summary>Gets or sets the region of the data centre that serves this app, recorded as <c>storedIn</c>. Default: null (not recorded).</summary>
    public string? StoredIn { get; set; }
}
