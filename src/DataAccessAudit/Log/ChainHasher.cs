using System.Security.Cryptography;

namespace DataAccessAudit.Log;

// Computes one link of the chain: SHA-256 (or HMAC-SHA256 with the segment's key) over the previous link's
// 32 bytes followed by the line's body (the line without its chain member). Not thread-safe: one per writer
// or verifier.
internal sealed class ChainHasher : IDisposable
{
    public const int Size = 32;

    private readonly IncrementalHash _hash;

    private ChainHasher(IncrementalHash hash, string? keyId)
    {
        _hash = hash;
        KeyId = keyId;
    }

    public string? KeyId { get; }

    public static ChainHasher Unkeyed() => new(IncrementalHash.CreateHash(HashAlgorithmName.SHA256), null);

    public static ChainHasher Keyed(string keyId, ReadOnlySpan<byte> key) =>
        new(IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key), keyId);

    public static ChainHasher Create(string? keyId, byte[]? key) =>
        keyId is null || key is null ? Unkeyed() : Keyed(keyId, key);

    // body = the JSON object without the chain member, ending in '}'.
    public void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        _hash.AppendData(previous);
        _hash.AppendData(body);
        _hash.GetHashAndReset(destination);
    }

    // The same, with the body given as the line's prefix before the chain member plus the closing brace.
    public void LinkPrefix(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> bodyWithoutBrace, Span<byte> destination)
    {
        _hash.AppendData(previous);
        _hash.AppendData(bodyWithoutBrace);
        _hash.AppendData("}"u8);
        _hash.GetHashAndReset(destination);
    }

    public void Dispose() => _hash.Dispose();
}
