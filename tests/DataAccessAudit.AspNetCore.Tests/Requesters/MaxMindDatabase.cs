using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace DataAccessAudit.AspNetCore.Tests.Requesters;

/// <summary>
/// Writes a small IPv4 country database in MaxMind DB format 2.0, as its specification lays it out: a binary search
/// tree of 24-bit records, 16 zero bytes, a data section of <c>{"country": {"iso_code": ...}}</c> maps, and the
/// metadata map after the <c>\xab\xcd\xefMaxMind.com</c> marker.
/// </summary>
internal static class MaxMindDatabase
{
    private const int Empty = -1;

    public static void Write(string path, IReadOnlyDictionary<string, string> countriesByNetwork)
    {
        var data = new MemoryStream();
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        var left = new List<int> { Empty };
        var right = new List<int> { Empty };
        foreach (var (network, country) in countriesByNetwork)
        {
            if (!offsets.TryGetValue(country, out var offset))
            {
                offset = (int)data.Length;
                offsets.Add(country, offset);
                WriteMap(data, 1);
                WriteString(data, "country");
                WriteMap(data, 1);
                WriteString(data, "iso_code");
                WriteString(data, country);
            }

            var parsed = System.Net.IPNetwork.Parse(network);
            if (parsed.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException($"{network}: this writer makes IPv4 databases only.", nameof(countriesByNetwork));
            }

            var bits = BinaryPrimitives.ReadUInt32BigEndian(parsed.BaseAddress.GetAddressBytes());
            var node = 0;
            for (var depth = 0; depth < parsed.PrefixLength; depth++)
            {
                var records = ((bits >> (31 - depth)) & 1) == 0 ? left : right;
                if (depth == parsed.PrefixLength - 1)
                {
                    records[node] = -(offset + 2);
                    break;
                }

                if (records[node] < 0)
                {
                    records[node] = left.Count;
                    left.Add(Empty);
                    right.Add(Empty);
                }

                node = records[node];
            }
        }

        var nodeCount = left.Count;
        using var file = File.Create(path);
        Span<byte> record = stackalloc byte[3];
        for (var node = 0; node < nodeCount; node++)
        {
            foreach (var value in (ReadOnlySpan<int>)[left[node], right[node]])
            {
                var encoded = value == Empty ? nodeCount : value < 0 ? nodeCount + 16 + (-value - 2) : value;
                record[0] = (byte)(encoded >> 16);
                record[1] = (byte)(encoded >> 8);
                record[2] = (byte)encoded;
                file.Write(record);
            }
        }

        file.Write(new byte[16]);
        data.Position = 0;
        data.CopyTo(file);

        var metadata = new MemoryStream();
        metadata.Write([0xAB, 0xCD, 0xEF]);
        metadata.Write("MaxMind.com"u8);
        WriteMap(metadata, 9);
        WriteString(metadata, "node_count");
        WriteUnsigned(metadata, type: 6, (ulong)nodeCount, bytes: 4);
        WriteString(metadata, "record_size");
        WriteUnsigned(metadata, type: 5, 24, bytes: 2);
        WriteString(metadata, "ip_version");
        WriteUnsigned(metadata, type: 5, 4, bytes: 2);
        WriteString(metadata, "database_type");
        WriteString(metadata, "DataAccessAudit-Test-Country");
        WriteString(metadata, "languages");
        metadata.Write([0x01, 11 - 7]);
        WriteString(metadata, "en");
        WriteString(metadata, "binary_format_major_version");
        WriteUnsigned(metadata, type: 5, 2, bytes: 2);
        WriteString(metadata, "binary_format_minor_version");
        WriteUnsigned(metadata, type: 5, 0, bytes: 2);
        WriteString(metadata, "build_epoch");
        WriteUnsigned(metadata, type: 9, 1_796_000_000, bytes: 8);
        WriteString(metadata, "description");
        WriteMap(metadata, 1);
        WriteString(metadata, "en");
        WriteString(metadata, "Test networks of RFC 5737 mapped to countries");
        metadata.Position = 0;
        metadata.CopyTo(file);
    }

    private static void WriteMap(Stream stream, int pairs) => stream.WriteByte((byte)((7 << 5) | pairs));

    private static void WriteString(Stream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length >= 29)
        {
            stream.WriteByte((2 << 5) | 29);
            stream.WriteByte((byte)(bytes.Length - 29));
        }
        else
        {
            stream.WriteByte((byte)((2 << 5) | bytes.Length));
        }

        stream.Write(bytes);
    }

    // Types 1-7 live in the control byte's top three bits; higher types are "extended": zero there, type - 7 in the next byte.
    private static void WriteUnsigned(Stream stream, int type, ulong value, int bytes)
    {
        if (type <= 7)
        {
            stream.WriteByte((byte)((type << 5) | bytes));
        }
        else
        {
            stream.WriteByte((byte)bytes);
            stream.WriteByte((byte)(type - 7));
        }

        for (var i = bytes - 1; i >= 0; i--)
        {
            stream.WriteByte((byte)(value >> (8 * i)));
        }
    }
}
