using System.Numerics;
using System.Security.Cryptography;
using DataAccessAudit.Log;

namespace DataAccessAudit.Transparency;

// The Merkle tree hashing of RFC 9162 (section 2.1.1), the same as RFC 6962's: a leaf is SHA-256(0x00 || data), an
// interior node SHA-256(0x01 || left || right), the empty tree SHA-256 of nothing. The 0x00/0x01 prefixes keep a
// leaf from being passed off as a node (second-preimage attacks).
internal static class MerkleHash
{
    public const int Size = 32;

    // One unkeyed hasher a thread, reused: building or verifying a tree hashes every record and about as many nodes,
    // and SHA256.HashData sets up and frees an OpenSSL context each call, which costs nearly as much as hashing a record.
    [ThreadStatic]
    private static ChainHasher? t_hasher;

    private static ChainHasher Hasher => t_hasher ??= ChainHasher.Unkeyed();

    public static void Leaf(ReadOnlySpan<byte> data, Span<byte> destination) =>
        Hasher.Hash([0x00], data, default, destination);

    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        Leaf(data, hash);
        return hash;
    }

    // destination may overlap left or right: they are hashed before it is written.
    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination) =>
        Hasher.Hash([0x01], left, right, destination);

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        Node(left, right, hash);
        return hash;
    }

    // The root of the tree with no leaves: SHA-256 of the empty string.
    public static byte[] Empty() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    // The largest power of two strictly less than n (n >= 2): where RFC 9162 splits a tree of n leaves.
    public static long Split(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));
}
