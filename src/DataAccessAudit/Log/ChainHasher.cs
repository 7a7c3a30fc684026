using System.Security.Cryptography;

namespace DataAccessAudit.Log;

// Computes one link of the chain: SHA-256 (or HMAC-SHA256 with the segment's key) over the previous link's
// 32 bytes followed by the line's body (the line without its chain member). Uses OpenSSL's low-level SHA-256
// where available (about twice as fast per link, see OpenSslSha256), IncrementalHash elsewhere; both give the
// same bytes. Not thread-safe: one per writer or verifier.
internal sealed class ChainHasher : IDisposable
{
    public const int Size = 32;

    private readonly OpenSslSha256? _native;
    private readonly IncrementalHash? _hash;

    private ChainHasher(OpenSslSha256? native, IncrementalHash? hash, string? keyId)
    {
        _native = native;
        _hash = hash;
        KeyId = keyId;
    }

    public string? KeyId { get; }

    // Whether links are computed by OpenSSL's low-level functions (for tests and benchmarks).
    public bool IsNative => _native is not null;

    public static ChainHasher Unkeyed(bool allowNative = true) =>
        (allowNative ? OpenSslSha256.TryCreate([], keyed: false) : null) is { } native
            ? new(native, null, null)
            : new(null, IncrementalHash.CreateHash(HashAlgorithmName.SHA256), null);

    public static ChainHasher Keyed(string keyId, ReadOnlySpan<byte> key, bool allowNative = true) =>
        (allowNative ? OpenSslSha256.TryCreate(key, keyed: true) : null) is { } native
            ? new(native, null, keyId)
            : new(null, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key), keyId);

    public static ChainHasher Create(string? keyId, byte[]? key) =>
        keyId is null || key is null ? Unkeyed() : Keyed(keyId, key);

    // body = the JSON object without the chain member, ending in '}'.
    public void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        if (_native is not null)
        {
            _native.Link(previous, body, default, destination);
            return;
        }

        _hash!.AppendData(previous);
        _hash.AppendData(body);
        _hash.GetHashAndReset(destination);
    }

    // The same, with the body given as the line's prefix before the chain member plus the closing brace.
    public void LinkPrefix(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> bodyWithoutBrace, Span<byte> destination)
    {
        if (_native is not null)
        {
            _native.Link(previous, bodyWithoutBrace, "}"u8, destination);
            return;
        }

        _hash!.AppendData(previous);
        _hash.AppendData(bodyWithoutBrace);
        _hash.AppendData("}"u8);
        _hash.GetHashAndReset(destination);
    }

    public void Dispose()
    {
        _native?.Dispose();
        _hash?.Dispose();
    }
}
