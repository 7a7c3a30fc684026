using System.Security.Cryptography;
using DataAccessAudit.Transparency;

namespace DataAccessAudit.Tests.Transparency;

public sealed class MerkleHashTests
{
    [Fact]
    public void Leaf_AnyLength_IsSha256OfZeroAndTheData()
    {
        var random = new Random(3);
        foreach (var length in Enumerable.Range(0, 130).Concat([1023, 1024, 1025, 70_000]))
        {
            var data = new byte[length];
            random.NextBytes(data);

            Assert.Equal(SHA256.HashData([0x00, .. data]), MerkleHash.Leaf(data));
        }
    }

    [Fact]
    public void Node_DestinationOverlapsAChild_IsSha256OfOneAndTheChildren()
    {
        var left = RandomNumberGenerator.GetBytes(MerkleHash.Size);
        var right = RandomNumberGenerator.GetBytes(MerkleHash.Size);
        var expected = SHA256.HashData([0x01, .. left, .. right]);

        Assert.Equal(expected, MerkleHash.Node(left, right));
        MerkleHash.Node(left, right, right);
        Assert.Equal(expected, right);
    }

    [Fact]
    public void Leaf_ManyThreadsAtOnce_EachGetsItsOwnHash()
    {
        var inputs = Enumerable.Range(0, 20_000).Select(i => BitConverter.GetBytes(i).Concat(new byte[i % 700]).ToArray()).ToArray();
        var hashes = new byte[inputs.Length][];

        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => hashes[i] = MerkleHash.Leaf(inputs[i]));

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(SHA256.HashData([0x00, .. inputs[i]]), hashes[i]);
        }
    }
}
