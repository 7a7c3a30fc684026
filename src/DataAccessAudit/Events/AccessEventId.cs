using System.Buffers.Binary;
using System.Security.Cryptography;
using NodaTime;

namespace DataAccessAudit.Events;

/// <summary>Makes event ids: UUID version 7 (RFC 9562), so ids sort by the time of the access.</summary>
public static class AccessEventId
{
    /// <summary>Creates a new UUID v7 id whose timestamp is <paramref name="time"/>.</summary>
    /// <param name="time">The instant of the access; only its milliseconds since the Unix epoch go into the id.</param>
    /// <returns>The id in its 36-character hyphenated lower-case form.</returns>
    public static string New(Instant time)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[6..]);
        var milliseconds = Math.Max(0, time.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt64BigEndian(bytes[..8], ((ulong)milliseconds << 16) | (ushort)(0x7000 | (bytes[6] << 8 | bytes[7]) & 0x0FFF));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
