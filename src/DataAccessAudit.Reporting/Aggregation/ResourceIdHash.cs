using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DataAccessAudit.Reporting.Aggregation;

// Distinct protected resources per requester are counted through 64-bit hashes of the ids rather than the ids
// themselves: 8 bytes per distinct resource instead of a string, and no string kept alive. With n distinct ids per
// requester the chance of any collision is about n^2 / 2^65 (1e-7 for a million), far below what a count
// could show. The hash is of the id's UTF-8 bytes and fixed (not randomised per process), so the fast line scanner,
// which never makes a string of the id, and the record path agree, and partial aggregates merge.
internal static class ResourceIdHash
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;
    private const int StackLimit = 512;

    public static ulong Of(string id)
    {
        var length = Encoding.UTF8.GetMaxByteCount(id.Length);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(id, buffer);
            return Of(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static ulong Of(ReadOnlySpan<byte> utf8Id)
    {
        var hash = Prime3 ^ ((ulong)utf8Id.Length * Prime1);
        var span = utf8Id;
        while (span.Length >= 8)
        {
            hash = Mix(hash, BinaryPrimitives.ReadUInt64LittleEndian(span));
            span = span[8..];
        }

        foreach (var b in span)
        {
            hash = Mix(hash, b);
        }

        // Final avalanche (the xxHash64 finaliser) so that ids differing in one character spread over all bits.
        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        hash ^= hash >> 32;
        return hash;
    }

    private static ulong Mix(ulong hash, ulong value) =>
        ulong.RotateLeft(hash ^ (value * Prime2), 31) * Prime1;
}
