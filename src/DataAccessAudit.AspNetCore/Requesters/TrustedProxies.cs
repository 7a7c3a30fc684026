using System.Net;
using System.Net.Sockets;

namespace DataAccessAudit.AspNetCore.Requesters;

/// <summary>The peers whose identity and location headers are believed, as addresses and networks.</summary>
internal sealed class TrustedProxies
{
    private readonly System.Net.IPNetwork[] _networks;

    private TrustedProxies(System.Net.IPNetwork[] networks) => _networks = networks;

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Parses addresses and CIDR networks; a bad entry names itself and what was expected.</summary>
    public static TrustedProxies Parse(IEnumerable<string> entries, out List<string> problems)
    {
        problems = [];
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in entries)
        {
            var text = entry?.Trim() ?? string.Empty;
            if (text.Contains('/', StringComparison.Ordinal))
            {
                if (System.Net.IPNetwork.TryParse(text, out var network))
                {
                    networks.Add(network);
                    continue;
                }
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                address = Normalize(address);
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
                continue;
            }

            problems.Add($"TrustedProxies: \"{entry}\" is not an IP address or network: expected an address such as 10.0.0.7 or a network such as 10.0.0.0/8.");
        }

        return new TrustedProxies([.. networks]);
    }

    public bool Contains(IPAddress? address)
    {
        if (address is null || _networks.Length == 0)
        {
            return false;
        }

        address = Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An IPv4 client seen through a dual-stack socket (<c>::ffff:10.0.0.7</c>) is the IPv4 address.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
