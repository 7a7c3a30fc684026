using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;

namespace DataAccessAudit.Transparency;

// The Merkle tree hashing of RFC 9162 (section 2.1.1), the same as RFC 6962's: a leaf is SHA-256(0x00 || data), an
// interior node SHA-256(0x01 || left || right), the empty tree SHA-256 of nothing. The 0x00/0x01 prefixes keep a
// leaf from being passed off as a node (second-preimage attacks).
internal static class MerkleHash
{
    public const int Size = 32;

    private const int StackLimit = 1024;

    public static void Leaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var length = data.Length + 1;
        byte[]? rented = null;
        var input = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        input[0] = 0x00;
        data.CopyTo(input[1..]);
        SHA256.HashData(input, destination);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        Leaf(data, hash);
        return hash;
    }

    // destination may overlap left or right: the input is copied first.
    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + (2 * Size)];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        SHA256.HashData(input, destination);
    }

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
