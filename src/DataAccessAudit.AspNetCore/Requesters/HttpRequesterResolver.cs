using System.Net;
using System.Security.Claims;
using DataAccessAudit.AspNetCore;
using DataAccessAudit.Events;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace DataAccessAudit.AspNetCore.Requesters;

/// <summary>
/// Tells who made a request and from where, once per request and user: the result is kept as the request's
/// <see cref="Requester"/> feature, so the endpoint's event and every database event of the request name the same
/// requester, and is worked out again when authentication has since replaced the request's user. An app that knows
/// better sets that feature itself before the endpoint runs.
/// </summary>
internal sealed class HttpRequesterResolver : IDisposable
{
    private readonly string[] _idClaimTypes;
    private readonly string? _regionClaimType;
    private readonly string? _organizationClaimType;
    private readonly string? _roleClaimType;
    private readonly TrustedProxies _proxies;
    private readonly string? _idHeader;
    private readonly string? _regionHeader;
    private readonly string? _organizationHeader;
    private readonly string? _forwardedForHeader;
    private readonly string? _timeZoneHeader;
    private readonly IpDatabaseRegionResolver? _ipDatabase;
    private readonly IRequesterRegionResolver<HttpContext>[] _appResolvers;
    private readonly string _anonymous;

    // Made once: a method group passed as a predicate would allocate a delegate on every request.
    private readonly Predicate<Claim> _isRole;

    public HttpRequesterResolver(IOptions<HttpAuditOptions> options, IEnumerable<IRequesterRegionResolver<HttpContext>> appResolvers)
    {
        var settings = options.Value;
        _idClaimTypes = [.. settings.IdClaimTypes.Where(type => !string.IsNullOrEmpty(type))];
        _regionClaimType = NullIfEmpty(settings.RegionClaimType);
        _organizationClaimType = NullIfEmpty(settings.OrganizationClaimType);
        _roleClaimType = NullIfEmpty(settings.RoleClaimType);
        _proxies = TrustedProxies.Parse(settings.TrustedProxies, out var problems);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(nameof(HttpAuditOptions), typeof(HttpAuditOptions), problems);
        }

        _idHeader = NullIfEmpty(settings.RequesterIdHeader);
        _regionHeader = NullIfEmpty(settings.RegionHeader);
        _organizationHeader = NullIfEmpty(settings.OrganizationHeader);
        _forwardedForHeader = NullIfEmpty(settings.ForwardedForHeader);
        _timeZoneHeader = NullIfEmpty(settings.TimeZoneHeader);
        _ipDatabase = NullIfEmpty(settings.IpDatabasePath) is { } path ? new IpDatabaseRegionResolver(path) : null;
        _appResolvers = [.. appResolvers];
        _anonymous = settings.AnonymousRequesterId;
        _isRole = IsRole;
    }

    /// <summary>Gets the request's requester, resolving it on first use.</summary>
    public Requester Resolve(HttpContext context)
    {
        var user = context.User;
        var known = context.Features.Get<Requester>();
        if (known is not null)
        {
            // A requester the app set itself is kept as is. One resolved here stands only while the request's user is
            // the principal it was read from: code that asks before authentication (middleware whose database query
            // is audited) must not fix the request's requester as the anonymous one the endpoint then records.
            if (context.Features.Get<ResolvedRequester>() is not { } resolved ||
                !ReferenceEquals(resolved.Requester, known) ||
                ReferenceEquals(resolved.User, user))
            {
                return known;
            }
        }

        var requester = Create(context, user);
        context.Features.Set(requester);
        context.Features.Set(new ResolvedRequester(user, requester));
        return requester;
    }

    public void Dispose() => _ipDatabase?.Dispose();

    private Requester Create(HttpContext context, ClaimsPrincipal user)
    {
        var fromProxy = _proxies.Contains(context.Connection.RemoteIpAddress);
        var headers = context.Request.Headers;

        string? id = null;
        foreach (var type in _idClaimTypes)
        {
            if (ClaimValue(user, type) is { } value)
            {
                id = value;
                break;
            }
        }

        id ??= (fromProxy ? SingleHeaderValue(headers, _idHeader) : null) ?? _anonymous;
        var organization = ClaimValue(user, _organizationClaimType) ?? (fromProxy ? HeaderValue(headers, _organizationHeader) : null);
        return new Requester(id, ResolveRegion(context, user, headers, fromProxy))
        {
            Organization = organization,
            Roles = Roles(user),
        };
    }

    // Strongest source first, each consulted only when every stronger one told nothing: what the authenticated user's
    // claims say, what a trusted proxy says, where the client's address is, what the app's own resolvers say, and
    // last the client's time zone. The zone is the client's own word (anyone can set their clock to
    // America/New_York), so it must never override a source the client cannot choose. A claim or a trusted proxy's
    // header that is there but names no region ("CHN", "China", "ZZ", or "CN, US" from a gateway that appends to the
    // client's own header) decides too: the requester is somewhere the app cannot place, which is unknown, not
    // whatever a weaker source would add.
    private Region ResolveRegion(HttpContext context, ClaimsPrincipal user, IHeaderDictionary headers, bool fromProxy)
    {
        if (ClaimValue(user, _regionClaimType) is { } claimed)
        {
            return RegionOrUnknown(claimed);
        }

        if (fromProxy && _regionHeader is not null && headers[_regionHeader] is { Count: > 0 } forwarded && !IsBlank(forwarded))
        {
            return forwarded.Count == 1 ? RegionOrUnknown(forwarded[0]!) : Region.Unknown;
        }

        if (_ipDatabase is not null && ClientAddress(context, fromProxy) is { } address && _ipDatabase.TryResolve(address, out var region))
        {
            return region;
        }

        foreach (var resolver in _appResolvers)
        {
            if (resolver.TryResolve(context, out region) && !region.IsUnknown)
            {
                return region;
            }
        }

        return HeaderValue(headers, _timeZoneHeader) is { } zone && TimeZoneRegionResolver.Default.TryResolve(zone, out region)
            ? region
            : Region.Unknown;
    }

    // The client is the connection's peer, unless that peer is a trusted proxy: then it is the last address the
    // forwarding chain names that is not itself a trusted proxy (addresses to its left could be set by the client).
    private IPAddress? ClientAddress(HttpContext context, bool fromProxy)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (!fromProxy || _forwardedForHeader is null)
        {
            return peer;
        }

        var values = context.Request.Headers[_forwardedForHeader];
        for (var v = values.Count - 1; v >= 0; v--)
        {
            var list = (values[v] ?? string.Empty).AsSpan();
            while (list.Length > 0)
            {
                var comma = list.LastIndexOf(',');
                var entry = list[(comma + 1)..].Trim();
                list = comma < 0 ? default : list[..comma];
                if (!IPAddress.TryParse(entry, out var address))
                {
                    // A chain that cannot be read names no client we can place.
                    return null;
                }

                if (!_proxies.Contains(address))
                {
                    return address;
                }
            }
        }

        return peer;
    }

    // Claims are believed only from an authenticated identity: an app may carry a guest identity built from what the
    // client sent (a cookie, a header), and its claims are the client's own word.
    private string[] Roles(ClaimsPrincipal user)
    {
        if (_roleClaimType is null)
        {
            return [];
        }

        List<string>? roles = null;
        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated && identity.HasClaim(_isRole))
            {
                roles ??= [];
                roles.AddRange(identity.FindAll(_roleClaimType).Select(claim => claim.Value));
            }
        }

        return roles is null ? [] : [.. roles];
    }

    private bool IsRole(Claim claim) => string.Equals(claim.Type, _roleClaimType, StringComparison.OrdinalIgnoreCase);

    private static string? ClaimValue(ClaimsPrincipal user, string? type)
    {
        if (type is null)
        {
            return null;
        }

        foreach (var identity in user.Identities)
        {
            // A claim of only spaces names nobody: it is absent, as an empty one is.
            if (identity.IsAuthenticated && identity.FindFirst(type)?.Value is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return value;
            }
        }

        return null;
    }

    private static string? HeaderValue(IHeaderDictionary headers, string? name)
    {
        if (name is null)
        {
            return null;
        }

        var values = headers[name];
        return values.Count == 1 && values[0] is { Length: > 0 } value ? value.Trim() : null;
    }

    // A gateway that appends to a header the client already sent produces one value listing both ("ceo, emp-4411"):
    // such a list names nobody we can believe, as a region header holding "US, CN" names no region.
    private static string? SingleHeaderValue(IHeaderDictionary headers, string? name) =>
        HeaderValue(headers, name) is { } value && !value.Contains(',', StringComparison.Ordinal) ? value : null;

    private static bool IsBlank(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return false;
            }
        }

        return true;
    }

    private static Region RegionOrUnknown(string code) => Region.TryParse(code.Trim(), out var region) ? region : Region.Unknown;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The requester this resolver set as the request's feature, and the user it was read from.</summary>
    private sealed record ResolvedRequester(ClaimsPrincipal User, Requester Requester);
}
