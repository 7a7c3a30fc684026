using System.Runtime.InteropServices;

namespace DataAccessAudit.Reporting.Aggregation;

// Distinct protected resources per requester are counted through 64-bit hashes of the ids rather than the ids
// themselves: 8 bytes per distinct resource instead of a string, and no string kept alive. With n distinct ids per
// requester the chance of any collision is about n^2 / 2^65 (1e-7 for a million), far below what a count
// could show. The hash is fixed (not randomised per process), so partial aggregates from parallel workers merge.
internal static class ResourceIdHash
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;

    public static ulong Of(string id)
    {
        var span = id.AsSpan();
        var hash = Prime3 ^ ((ulong)span.Length * Prime1);
        var words = MemoryMarshal.Cast<char, ulong>(span);
        foreach (var word in words)
        {
            hash = Mix(hash, word);
        }

        for (var i = words.Length * 4; i < span.Length; i++)
        {
            hash = Mix(hash, span[i]);
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
