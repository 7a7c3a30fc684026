using System.Security.Cryptography;

namespace DataAccessAudit.Log;

// Computes one link of the chain: SHA-256 (or HMAC-SHA256 with the segment's key) over the previous link's
// 32 bytes followed by the line's body (the line without its chain member). By default through OpenSSL 3's EVP
// interfaces called directly (OpenSslEvpHash), whose providers compute it, so a host configured for FIPS chains its
// log with its FIPS module; where those are not available (not Linux, or an older libcrypto), through .NET's
// cryptography (IncrementalHash), its input copied into one buffer and appended once, because each append crosses
// into the platform's library. An app may opt in to OpenSSL's low-level SHA-256 functions (OpenSslSha256), which
// bypass the providers, with the AppContext switch NativeSwitch. All give the same bytes. Not thread-safe: one per
// writer or verifier.
internal sealed class ChainHasher : IDisposable
{
    public const int Size = 32;

    // Opt-in only: OpenSSL's deprecated low-level SHA256_* calls bypass the providers (and so a FIPS configuration).
    public const string NativeSwitch = "DataAccessAudit.Log.UseLowLevelOpenSslSha256";

    // The direct OpenSSL engine, or null when links go through IncrementalHash (_hash).
    private readonly IChainLinkEngine? _native;
    private readonly IncrementalHash? _hash;
    private byte[] _input = [];

    private ChainHasher(ChainHashEngine engine, IChainLinkEngine? native, IncrementalHash? hash, string? keyId)
    {
        Engine = engine;
        _native = native;
        _hash = hash;
        KeyId = keyId;
    }

    public string? KeyId { get; }

    // What computes the links (for tests and benchmarks).
    public ChainHashEngine Engine { get; }

    // Whether the app opted in to the low-level functions.
    public static bool NativeRequested => AppContext.TryGetSwitch(NativeSwitch, out var enabled) && enabled;

    // The engine links are computed with unless a caller asks for another: the opted-in one, or the default.
    public static ChainHashEngine DefaultEngine => NativeRequested ? ChainHashEngine.OpenSslLowLevel : ChainHashEngine.OpenSsl;

    public static ChainHasher Unkeyed() => Unkeyed(DefaultEngine);

    // engine: where it is not available, the platform's cryptography is used (tests and benchmarks compare them).
    public static ChainHasher Unkeyed(ChainHashEngine engine) => Create(engine, [], keyed: false, keyId: null);

    public static ChainHasher Keyed(string keyId, ReadOnlySpan<byte> key) => Keyed(keyId, key, DefaultEngine);

    public static ChainHasher Keyed(string keyId, ReadOnlySpan<byte> key, ChainHashEngine engine) => Create(engine, key, keyed: true, keyId);

    public static ChainHasher Create(string? keyId, byte[]? key) =>
        keyId is null || key is null ? Unkeyed() : Keyed(keyId, key);

    // body = the JSON object without the chain member, ending in '}'.
    public void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> body, Span<byte> destination) =>
        Link(previous, body, default, destination);

    // The same, with the body given as the line's prefix before the chain member plus the closing brace.
    public void LinkPrefix(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> bodyWithoutBrace, Span<byte> destination) =>
        Link(previous, bodyWithoutBrace, "}"u8, destination);

    // SHA-256 (or HMAC-SHA256) over first ‖ second ‖ third, for other hashes of the log's records (the Merkle tree's
    // leaves and nodes) through the same engine. destination may overlap the input.
    public void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<byte> destination) =>
        Link(first, second, third, destination);

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
            _input = new byte[Math.Max(Math.Max(length, 1024), _input.Length * 2)];
        }

        previous.CopyTo(_input);
        body.CopyTo(_input.AsSpan(previous.Length));
        tail.CopyTo(_input.AsSpan(previous.Length + body.Length));
        _hash!.AppendData(_input, 0, length);
        _hash.GetHashAndReset(destination);
    }

    private static ChainHasher Create(ChainHashEngine engine, ReadOnlySpan<byte> key, bool keyed, string? keyId)
    {
        IChainLinkEngine? native = engine switch
        {
            ChainHashEngine.OpenSslLowLevel => OpenSslSha256.TryCreate(key, keyed),
            ChainHashEngine.OpenSsl => OpenSslEvpHash.TryCreate(key, keyed),
            _ => null,
        };
        if (native is not null)
        {
            return new(engine, native, null, keyId);
        }

        var hash = keyed ? IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key) : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        return new(ChainHashEngine.Platform, null, hash, keyId);
    }
}
