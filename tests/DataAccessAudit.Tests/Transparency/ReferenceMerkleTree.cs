using System.Security.Cryptography;
using DataAccessAudit.Transparency;

namespace DataAccessAudit.Tests.Transparency;

// RFC 9162 section 2.1 written as the RFC states it (recursive MTH, PATH and PROOF over the list of leaves), with
// nothing shared with the library but the test's leaves: the reference the library's proofs are checked against.
internal static class ReferenceMerkleTree
{
    // MTH of a range is asked for again and again by the exhaustive tests: remembered per list of leaves.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<byte[]>, System.Collections.Concurrent.ConcurrentDictionary<(int, int), byte[]>> Known = [];

    public static byte[] Mth(IReadOnlyList<byte[]> d, int start, int end) =>
        Known.GetValue(d, _ => new()).GetOrAdd((start, end), r => Compute(d, r.Item1, r.Item2));

    private static byte[] Compute(IReadOnlyList<byte[]> d, int start, int end)
    {
        var n = end - start;
        if (n == 0)
        {
            return SHA256.HashData(Array.Empty<byte>());
        }

        if (n == 1)
        {
            return SHA256.HashData([0x00, .. d[start]]);
        }

        var k = LargestPowerOfTwoBelow(n);
        return SHA256.HashData([0x01, .. Mth(d, start, start + k), .. Mth(d, start + k, end)]);
    }

    public static List<byte[]> Path(int m, IReadOnlyList<byte[]> d, int start, int end)
    {
        var n = end - start;
        if (n == 1)
        {
            return [];
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            return [.. Path(m, d, start, start + k), Mth(d, start + k, end)];
        }

        return [.. Path(m - k, d, start + k, end), Mth(d, start, start + k)];
    }

    public static List<byte[]> Proof(int m, IReadOnlyList<byte[]> d, int n) => SubProof(m, d, 0, n, true);

    private static List<byte[]> SubProof(int m, IReadOnlyList<byte[]> d, int start, int end, bool b)
    {
        var n = end - start;
        if (m == n)
        {
            return b ? [] : [Mth(d, start, end)];
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            return [.. SubProof(m, d, start, start + k, b), Mth(d, start + k, end)];
        }

        return [.. SubProof(m - k, d, start + k, end, false), Mth(d, start, start + k)];
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}

// Every complete subtree's hash kept in memory, level by level: the simplest ISubtreeHashes.
internal sealed class MemorySubtreeHashes : ISubtreeHashes
{
    private readonly List<List<byte[]>> _levels = [];

    public MemorySubtreeHashes(IEnumerable<byte[]> leaves)
    {
        foreach (var leaf in leaves)
        {
            Frontier.Append(MerkleHash.Leaf(leaf), Keep);
        }
    }

    public MerkleFrontier Frontier { get; } = new();

    public void Read(int level, long index, Span<byte> destination) => _levels[level][checked((int)index)].CopyTo(destination);

    private void Keep(int level, long index, byte[] hash)
    {
        while (_levels.Count <= level)
        {
            _levels.Add([]);
        }

        Assert.Equal(_levels[level].Count, index);
        _levels[level].Add(hash);
    }
}
