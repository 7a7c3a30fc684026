using DataAccessAudit.AspNetCore;
using DataAccessAudit.AspNetCore.Requesters;
using DataAccessAudit.Regions;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

// Checks at start-up what DataAnnotations cannot say: addresses and networks parse, regions are ISO codes, the IP
// database exists. Every problem is named at once, so a bad deployment stops before it records a single wrong event.
internal sealed class HttpAuditOptionsValidator : IValidateOptions<HttpAuditOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpAuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrustedProxies.Parse(options.TrustedProxies, out var problems);
        if (options.DefaultDataRegion is { } home && (!Region.TryParse(home, out var region) || region.IsUnknown))
        {
            problems.Add($"DefaultDataRegion: \"{home}\" is not a region: expected the ISO 3166-1 alpha-2 code of the data's home, such as US.");
        }

        if (options.StoredIn is { } storedIn && !Region.TryParse(storedIn, out _))
        {
            problems.Add($"StoredIn: \"{storedIn}\" is not a region: expected an ISO 3166-1 alpha-2 code such as US.");
        }

        if (!string.IsNullOrWhiteSpace(options.IpDatabasePath) && !File.Exists(options.IpDatabasePath))
        {
            problems.Add($"IpDatabasePath: \"{options.IpDatabasePath}\" does not exist: expected the path of a MaxMind .mmdb file such as GeoLite2-Country.mmdb.");
        }

        if (string.IsNullOrWhiteSpace(options.AnonymousRequesterId))
        {
            problems.Add("AnonymousRequesterId: empty: expected the id recorded for requests that name nobody, such as anonymous.");
        }

        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => $"Data access audit, ASP.NET Core: {problem}"));
    }
}
