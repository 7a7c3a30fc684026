using System.Security.Cryptography;
using DataAccessAudit.Transparency;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataAccessAudit.Tests.Transparency;

public sealed class MerkleProofTests
{
    private const int Exhaustive = 300;

    private static readonly byte[][] Leaves = [.. Enumerable.Range(0, 5000).Select(i => System.Text.Encoding.UTF8.GetBytes($"{{\"seq\":{i + 1}}}"))];

    private static readonly MemorySubtreeHashes Tree = new(Leaves);

    [Fact]
    public void Root_EveryPrefixUpTo300_IsRfc9162Mth()
    {
        var frontier = new MerkleFrontier();
        Assert.Equal(SHA256.HashData(Array.Empty<byte>()), frontier.Root());
        for (var n = 1; n <= Exhaustive; n++)
        {
            frontier.Append(MerkleHash.Leaf(Leaves[n - 1]));
            var expected = ReferenceMerkleTree.Mth(Leaves, 0, n);
            Assert.Equal(expected, frontier.Root());
            Assert.Equal(expected, MerkleProofs.Root(Tree, n));
            Assert.Equal(expected, MerkleFrontier.Load(Tree, n).Root());
        }
    }

    [Fact]
    public void Inclusion_EveryLeafOfEverySizeUpTo300_IsRfc9162PathAndVerifies()
    {
        for (var n = 1; n <= Exhaustive; n++)
        {
            var root = ReferenceMerkleTree.Mth(Leaves, 0, n);
            for (var m = 0; m < n; m++)
            {
                var path = MerkleProofs.Inclusion(Tree, m, n);
                Assert.True(path.SequenceEqual(ReferenceMerkleTree.Path(m, Leaves, 0, n), ByteArrays.Comparer), $"path of {m} in {n}");
                Assert.True(MerkleProofs.VerifyInclusion(m, n, MerkleHash.Leaf(Leaves[m]), path, root), $"leaf {m} of {n}");
            }
        }
    }

    [Fact]
    public void Consistency_EveryPairOfSizesUpTo300_IsRfc9162ProofAndVerifies()
    {
        var roots = Enumerable.Range(0, Exhaustive + 1).Select(n => ReferenceMerkleTree.Mth(Leaves, 0, n)).ToArray();
        for (var n = 1; n <= Exhaustive; n++)
        {
            for (var m = 1; m <= n; m++)
            {
                var proof = MerkleProofs.Consistency(Tree, m, n);
                Assert.True(proof.SequenceEqual(m == n ? [] : ReferenceMerkleTree.Proof(m, Leaves, n), ByteArrays.Comparer), $"proof {m} -> {n}");
                Assert.True(MerkleProofs.VerifyConsistency(m, n, roots[m], roots[n], proof), $"{m} -> {n}");
            }

            Assert.True(MerkleProofs.VerifyConsistency(0, n, roots[0], roots[n], []));
        }
    }

    [Fact]
    public void Inclusion_AnyChangedHashIndexSizeOrLeaf_DoesNotVerify()
    {
        for (var n = 1; n <= 70; n++)
        {
            var root = ReferenceMerkleTree.Mth(Leaves, 0, n);
            for (var m = 0; m < n; m++)
            {
                var leaf = MerkleHash.Leaf(Leaves[m]);
                var path = MerkleProofs.Inclusion(Tree, m, n);
                for (var i = 0; i < path.Length; i++)
                {
                    var changed = path.Select(p => (byte[])p.Clone()).ToArray();
                    changed[i][i % MerkleHash.Size] ^= 1;
                    Assert.False(MerkleProofs.VerifyInclusion(m, n, leaf, changed, root));
                    Assert.False(MerkleProofs.VerifyInclusion(m, n, leaf, path.Where((_, j) => j != i).ToArray(), root));
                }

                Assert.False(MerkleProofs.VerifyInclusion(m, n, leaf, [.. path, leaf], root));
                Assert.False(MerkleProofs.VerifyInclusion(m, n, MerkleHash.Leaf(Leaves[m + 1]), path, root));
                Assert.False(MerkleProofs.VerifyInclusion(m, n, leaf, path, ReferenceMerkleTree.Mth(Leaves, 0, n + 1)));
                Assert.False(MerkleProofs.VerifyInclusion(n, n, leaf, path, root));
                Assert.False(MerkleProofs.VerifyInclusion(-1, n, leaf, path, root));
            }
        }
    }

    [Fact]
    public void Consistency_AnyChangedHashOrSize_DoesNotVerify()
    {
        var roots = Enumerable.Range(0, 72).Select(n => ReferenceMerkleTree.Mth(Leaves, 0, n)).ToArray();
        for (var n = 2; n <= 70; n++)
        {
            for (var m = 1; m < n; m++)
            {
                var proof = MerkleProofs.Consistency(Tree, m, n);
                for (var i = 0; i < proof.Length; i++)
                {
                    var changed = proof.Select(p => (byte[])p.Clone()).ToArray();
                    changed[i][0] ^= 0x80;
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, roots[m], roots[n], changed));
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, roots[m], roots[n], proof.Where((_, j) => j != i).ToArray()));
                }

                Assert.False(MerkleProofs.VerifyConsistency(m, n, roots[m], roots[n], [.. proof, roots[0]]));
                Assert.False(MerkleProofs.VerifyConsistency(m, n, roots[m - 1], roots[n], proof));
                Assert.False(MerkleProofs.VerifyConsistency(m, n, roots[m], roots[n + 1], proof));
                Assert.False(MerkleProofs.VerifyConsistency(m, n + 1, roots[m], roots[n + 1], proof));
                Assert.False(MerkleProofs.VerifyConsistency(n, m, roots[n], roots[m], proof));
            }

            Assert.False(MerkleProofs.VerifyConsistency(n, n, roots[n], roots[n - 1], []));
        }
    }

    // Random sizes beyond the exhaustive range, up to the 5,000 leaves kept.
    [Property(MaxTest = 300)]
    public Property InclusionAndConsistency_RandomLargerTrees_MatchRfc9162() =>
        Prop.ForAll(
            Arb.From(from n in Gen.Choose(Exhaustive + 1, Leaves.Length)
                     from m in Gen.Choose(1, n)
                     from leaf in Gen.Choose(0, n - 1)
                     select (n, m, leaf)),
            t =>
            {
                var (n, m, leaf) = t;
                var root = ReferenceMerkleTree.Mth(Leaves, 0, n);
                var path = MerkleProofs.Inclusion(Tree, leaf, n);
                var proof = MerkleProofs.Consistency(Tree, m, n);
                return path.SequenceEqual(ReferenceMerkleTree.Path(leaf, Leaves, 0, n), ByteArrays.Comparer)
                    && MerkleProofs.VerifyInclusion(leaf, n, MerkleHash.Leaf(Leaves[leaf]), path, root)
                    && (m == n ? proof.Length == 0 : proof.SequenceEqual(ReferenceMerkleTree.Proof(m, Leaves, n), ByteArrays.Comparer))
                    && MerkleProofs.VerifyConsistency(m, n, ReferenceMerkleTree.Mth(Leaves, 0, m), root, proof)
                    && MerkleProofs.Root(Tree, n).AsSpan().SequenceEqual(root);
            });

    // A known answer from outside this code: the RFC 6962 / RFC 9162 empty-tree hash and a one-leaf tree.
    [Fact]
    public void Hashes_KnownAnswers()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleHash.Empty()));
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(MerkleHash.Leaf([])));
    }
}

internal sealed class ByteArrays : IEqualityComparer<byte[]>
{
    public static readonly ByteArrays Comparer = new();

    public bool Equals(byte[]? x, byte[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => obj.Length;
}
