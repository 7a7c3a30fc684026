using System.Net;
using DataAccessAudit.Regions;
using MaxMind.Db;

namespace DataAccessAudit.AspNetCore.Requesters;

/// <summary>
/// Tells a client's country from its IP address with an IP-to-country database in MaxMind's <c>.mmdb</c> format,
/// read through MaxMind's own reader (memory-mapped, so the file is shared by every process that opens it).
/// </summary>
/// <remarks>
/// Only the record's <c>country.iso_code</c> counts: where the address is used. The <c>registered_country</c> of a
/// network (where its owner registered it) says nothing about where the requester sits, so it is never taken instead.
/// </remarks>
internal sealed class IpDatabaseRegionResolver : IRequesterRegionResolver<IPAddress>, IDisposable
{
    private readonly Reader _reader;

    public IpDatabaseRegionResolver(string path)
    {
        Path = path;
        _reader = new Reader(path, FileAccessMode.MemoryMapped);
    }

    public string Path { get; }

    public bool TryResolve(IPAddress source, out Region region)
    {
        region = Region.Unknown;
        if (source is null)
        {
            return false;
        }

        CountryRecord? record;
        try
        {
            record = _reader.Find<CountryRecord>(TrustedProxies.Normalize(source));
        }
        catch (ArgumentException)
        {
            // An IPv6 address looked up in an IPv4-only database has no country there.
            return false;
        }

        return record?.Country?.IsoCode is { } code && Region.TryParse(code, out region) && !region.IsUnknown;
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The part of a GeoIP2/GeoLite2 Country or City record that tells the country.</summary>
    internal sealed class CountryRecord
    {
        [Constructor]
        public CountryRecord([MapKey("country")] CountryEntry? country) => Country = country;

        public CountryEntry? Country { get; }
    }

    /// <summary>A record's <c>country</c> map; only its ISO code is decoded.</summary>
    internal sealed class CountryEntry
    {
        [Constructor]
        public CountryEntry([MapKey("iso_code")] string? isoCode) => IsoCode = isoCode;

        public string? IsoCode { get; }
    }
}
