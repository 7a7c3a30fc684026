namespace DataAccessAudit.Log;

// What computes links over OpenSSL directly, behind ChainHasher: the EVP interfaces (OpenSslEvpHash, the default) or
// the opt-in low-level functions (OpenSslSha256). Not thread-safe.
internal interface IChainLinkEngine : IDisposable
{
    // link = SHA-256 or HMAC-SHA256 over previous ‖ body ‖ tail (tail may be empty); destination may overlap them.
    void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tail, Span<byte> destination);
}
