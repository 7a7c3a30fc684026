using NodaTime.TimeZones;

namespace DataAccessAudit.Regions;

/// <summary>
/// Tells a requester's region from an IANA time zone id (<c>Asia/Shanghai</c> gives CN, <c>America/Puerto_Rico</c>
/// gives PR), using the zone locations of NodaTime's TZDB.
/// </summary>
/// <remarks>
/// <para>
/// A browser, a device or an identity provider (the OpenID Connect <c>zoneinfo</c> claim) often knows the user's time
/// zone when nothing else says where they are. A zone id is looked up in TZDB's <c>zone.tab</c>, which gives each
/// zone the one country it lies in; an alias such as <c>US/Eastern</c> or <c>Asia/Chongqing</c> is first looked up
/// as itself, then through its canonical zone. Ids compare ignoring case.
/// </para>
/// <para>
/// A time zone is a hint, not proof of location: anyone can set their clock to <c>America/New_York</c>. Prefer a
/// stronger source where one exists, and treat a mismatch between sources as worth a look.
/// </para>
/// <para>Zones that lie in no country, such as <c>UTC</c> or <c>Etc/GMT+3</c>, give no region.</para>
/// </remarks>
public sealed class TimeZoneRegionResolver : IRequesterRegionResolver<string>
{
    private readonly Dictionary<string, Region> _regions;
    private readonly HashSet<string> _zonesWithoutLocation;

    /// <summary>Creates a resolver over a TZDB source.</summary>
    /// <param name="source">The TZDB data; it must carry zone locations (the data NodaTime ships does).</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> carries no zone locations.</exception>
    public TimeZoneRegionResolver(TzdbDateTimeZoneSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var locations = source.ZoneLocations ?? throw new ArgumentException(
            $"TZDB {source.TzdbVersion} carries no zone locations, so it cannot tell the region of a time zone.", nameof(source));

        TzdbVersion = source.TzdbVersion;
        _regions = new Dictionary<string, Region>(StringComparer.OrdinalIgnoreCase);
        foreach (var location in locations)
        {
            // zone.tab only names assigned ISO 3166-1 codes; a code this library does not know is skipped, not guessed.
            if (Region.TryParse(location.CountryCode, out var region) && !region.IsUnknown)
            {
                _regions.TryAdd(location.ZoneId, region);
            }
        }

        _zonesWithoutLocation = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, canonical) in source.CanonicalIdMap)
        {
            if (_regions.ContainsKey(id))
            {
                continue;
            }

            if (_regions.TryGetValue(canonical, out var region))
            {
                _regions.Add(id, region);
            }
            else
            {
                _zonesWithoutLocation.Add(id);
            }
        }
    }

    /// <summary>Gets a resolver over the TZDB data built into NodaTime (<see cref="TzdbDateTimeZoneSource.Default"/>).</summary>
    public static TimeZoneRegionResolver Default { get; } = new(TzdbDateTimeZoneSource.Default);

    /// <summary>Gets the version of the TZDB data, such as <c>2025b</c>.</summary>
    public string TzdbVersion { get; }

    /// <summary>Gets the region a time zone lies in.</summary>
    /// <param name="zoneId">An IANA time zone id, such as <c>Asia/Shanghai</c>.</param>
    /// <returns>The region.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zoneId"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="zoneId"/> is not a TZDB zone id, or names a zone that lies in no country (such as <c>UTC</c>);
    /// the message names the id.
    /// </exception>
    public Region Resolve(string zoneId)
    {
        ArgumentNullException.ThrowIfNull(zoneId);
        if (_regions.TryGetValue(zoneId, out var region))
        {
            return region;
        }

        throw new ArgumentException(
            _zonesWithoutLocation.Contains(zoneId)
                ? $"Time zone '{zoneId}' lies in no country (TZDB {TzdbVersion} gives it no location), so it cannot tell where the requester was: expected a geographic zone such as America/New_York or Asia/Shanghai."
                : $"'{zoneId}' is not a time zone id of TZDB {TzdbVersion}: expected an IANA id such as America/New_York or Asia/Shanghai.",
            nameof(zoneId));
    }

    /// <summary>Tries to get the region a time zone lies in.</summary>
    /// <param name="source">An IANA time zone id, such as <c>Asia/Shanghai</c>; null gives false.</param>
    /// <param name="region">The region; <see cref="Region.Unknown"/> when the id is unknown or lies in no country.</param>
    /// <returns>True when the zone lies in a known region.</returns>
    public bool TryResolve(string? source, out Region region)
    {
        if (source is not null && _regions.TryGetValue(source, out region))
        {
            return true;
        }

        region = Region.Unknown;
        return false;
    }
}
