using System.Security.Cryptography;

namespace DataAccessAudit.Log;

// Computes one link of the chain: SHA-256 (or HMAC-SHA256 with the segment's key) over the previous link's
// 32 bytes followed by the line's body (the line without its chain member). By default through .NET's
// cryptography (IncrementalHash), which on Linux goes through OpenSSL 3's providers: a host configured for FIPS
// chains its log with its FIPS module. The input is copied into one buffer and appended once, because each append
// crosses into OpenSSL. An app may opt in to OpenSSL's low-level SHA-256 functions (OpenSslSha256), which bypass the
// providers, with the AppContext switch NativeSwitch; both give the same bytes. Not thread-safe: one per writer or
// verifier.
internal sealed class ChainHasher : IDisposable
{
    public const int Size = 32;

    // Opt-in only: OpenSSL's deprecated low-level SHA256_* calls bypass the providers (and so a FIPS configuration).
    public const string NativeSwitch = "DataAccessAudit.Log.UseLowLevelOpenSslSha256";

    private readonly OpenSslSha256? _native;
    private readonly IncrementalHash? _hash;
    private byte[] _input = new byte[1024];

    private ChainHasher(OpenSslSha256? native, IncrementalHash? hash, string? keyId)
    {
        _native = native;
        _hash = hash;
        KeyId = keyId;
    }

    public string? KeyId { get; }

    // Whether links are computed by OpenSSL's low-level functions (for tests and benchmarks).
    public bool IsNative => _native is not null;

    // Whether the app opted in to the low-level functions.
    public static bool NativeRequested => AppContext.TryGetSwitch(NativeSwitch, out var enabled) && enabled;

    public static ChainHasher Unkeyed() => Unkeyed(NativeRequested);

    // native: use the low-level functions where they are available (tests and benchmarks compare both paths).
    public static ChainHasher Unkeyed(bool native) =>
        (native ? OpenSslSha256.TryCreate([], keyed: false) : null) is { } hasher
            ? new(hasher, null, null)
            : new(null, IncrementalHash.CreateHash(HashAlgorithmName.SHA256), null);

    public static ChainHasher Keyed(string keyId, ReadOnlySpan<byte> key) => Keyed(keyId, key, NativeRequested);

    public static ChainHasher Keyed(string keyId, ReadOnlySpan<byte> key, bool native) =>
        (native ? OpenSslSha256.TryCreate(key, keyed: true) : null) is { } hasher
            ? new(hasher, null, keyId)
            : new(null, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key), keyId);

    public static ChainHasher Create(string? keyId, byte[]? key) =>
        keyId is null || key is null ? Unkeyed() : Keyed(keyId, key);

    // body = the JSON object without the chain member, ending in '}'.
    public void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> body, Span<byte> destination) =>
        Link(previous, body, default, destination);

    // The same, with the body given as the line's prefix before the chain member plus the closing brace.
    public void LinkPrefix(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> bodyWithoutBrace, Span<byte> destination) =>
        Link(previous, bodyWithoutBrace, "}"u8, destination);

    public void Dispose()
    {
        _native?.Dispose();
        _hash?.Dispose();
    }

    private void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tail, Span<byte> destination)
    {
        if (_native is not null)
        {
            _native.Link(previous, body, tail, destination);
            return;
        }

        var length = previous.Length + body.Length + tail.Length;
        if (_input.Length < length)
        {
            _input = new byte[Math.Max(length, _input.Length * 2)];
        }

        previous.CopyTo(_input);
        body.CopyTo(_input.AsSpan(previous.Length));
        tail.CopyTo(_input.AsSpan(previous.Length + body.Length));
        _hash!.AppendData(_input, 0, length);
        _hash.GetHashAndReset(destination);
    }
}
