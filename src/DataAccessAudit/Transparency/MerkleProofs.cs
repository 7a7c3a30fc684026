using System.Numerics;

namespace DataAccessAudit.Transparency;

// Inclusion and consistency proofs of RFC 9162 (sections 2.1.3 and 2.1.4): generated from complete-subtree hashes,
// verified with the RFC's iterative algorithms, which need nothing but the proof, the sizes and the two hashes.
internal static class MerkleProofs
{
    // MTH(D[start:end]) for a range that RFC 9162's recursion produces: start is a multiple of the largest power of
    // two not above end - start, so the range is a complete subtree or splits into one and a smaller such range.
    public static void RangeHash(ISubtreeHashes hashes, long start, long end, Span<byte> destination)
    {
        var size = end - start;
        if (BitOperations.IsPow2(size))
        {
            var level = BitOperations.Log2((ulong)size);
            hashes.Read(level, start >> level, destination);
            return;
        }

        var k = MerkleHash.Split(size);
        Span<byte> left = stackalloc byte[MerkleHash.Size];
        Span<byte> right = stackalloc byte[MerkleHash.Size];
        RangeHash(hashes, start, start + k, left);
        RangeHash(hashes, start + k, end, right);
        MerkleHash.Node(left, right, destination);
    }

    public static byte[] Root(ISubtreeHashes hashes, long size)
    {
        if (size == 0)
        {
            return MerkleHash.Empty();
        }

        var root = new byte[MerkleHash.Size];
        RangeHash(hashes, 0, size, root);
        return root;
    }

    // PATH(index, D[0:size]): the audit path, from the leaf's sibling up to the root's child.
    public static byte[][] Inclusion(ISubtreeHashes hashes, long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var path = new List<byte[]>(64);
        AddPath(hashes, index, 0, size, path);
        return [.. path];
    }

    // PROOF(first, D[0:second]) for 0 < first < second; empty when first is 0 or equals second.
    public static byte[][] Consistency(ISubtreeHashes hashes, long first, long second)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, second);
        var proof = new List<byte[]>(64);
        if (first > 0 && first < second)
        {
            AddSubproof(hashes, first, 0, second, true, proof);
        }

        return [.. proof];
    }

    // RFC 9162 section 2.1.3.2.
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size)
        {
            return false;
        }

        var fn = index;
        var sn = size - 1;
        Span<byte> r = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(r);
        foreach (var p in path)
        {
            if (sn == 0 || p is null || p.Length != MerkleHash.Size)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.Node(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.SequenceEqual(root);
    }

    // RFC 9162 section 2.1.4.2, with its trivial cases: a tree is consistent with itself (empty proof, equal
    // hashes), and every tree extends the empty tree.
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstHash, ReadOnlySpan<byte> secondHash, IReadOnlyList<byte[]> proof)
    {
        if (first < 0 || second < first || firstHash.Length != MerkleHash.Size || secondHash.Length != MerkleHash.Size)
        {
            return false;
        }

        if (first == second)
        {
            return proof.Count == 0 && firstHash.SequenceEqual(secondHash);
        }

        if (first == 0)
        {
            return proof.Count == 0;
        }

        if (proof.Count == 0)
        {
            return false;
        }

        foreach (var p in proof)
        {
            if (p is null || p.Length != MerkleHash.Size)
            {
                return false;
            }
        }

        var start = 0;
        Span<byte> fr = stackalloc byte[MerkleHash.Size];
        Span<byte> sr = stackalloc byte[MerkleHash.Size];
        if (BitOperations.IsPow2(first))
        {
            firstHash.CopyTo(fr);
        }
        else
        {
            proof[0].CopyTo(fr);
            start = 1;
        }

        fr.CopyTo(sr);
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        for (var i = start; i < proof.Count; i++)
        {
            if (sn == 0)
            {
                return false;
            }

            var c = proof[i];
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(c, fr, fr);
                MerkleHash.Node(c, sr, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.Node(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.SequenceEqual(firstHash) && sr.SequenceEqual(secondHash);
    }

    private static void AddPath(ISubtreeHashes hashes, long index, long start, long end, List<byte[]> path)
    {
        var size = end - start;
        if (size == 1)
        {
            return;
        }

        var k = MerkleHash.Split(size);
        var sibling = new byte[MerkleHash.Size];
        if (index - start < k)
        {
            AddPath(hashes, index, start, start + k, path);
            RangeHash(hashes, start + k, end, sibling);
        }
        else
        {
            AddPath(hashes, index, start + k, end, path);
            RangeHash(hashes, start, start + k, sibling);
        }

        path.Add(sibling);
    }

    // SUBPROOF(m, D[start:end], b) with m counted from start.
    private static void AddSubproof(ISubtreeHashes hashes, long m, long start, long end, bool complete, List<byte[]> proof)
    {
        var size = end - start;
        if (m == size)
        {
            if (!complete)
            {
                var hash = new byte[MerkleHash.Size];
                RangeHash(hashes, start, end, hash);
                proof.Add(hash);
            }

            return;
        }

        var k = MerkleHash.Split(size);
        var other = new byte[MerkleHash.Size];
        if (m <= k)
        {
            AddSubproof(hashes, m, start, start + k, complete, proof);
            RangeHash(hashes, start + k, end, other);
        }
        else
        {
            AddSubproof(hashes, m - k, start + k, end, false, proof);
            RangeHash(hashes, start, start + k, other);
        }

        proof.Add(other);
    }
}
