namespace DataAccessAudit.Log;

// What computes a ChainHasher's links; all give the same bytes.
internal enum ChainHashEngine
{
    // .NET's cryptography (IncrementalHash): wherever the others are not available.
    Platform,

    // OpenSSL 3's EVP interfaces called directly (OpenSslEvpHash): the default where libcrypto 3 is there. Its
    // providers compute the links, so a FIPS configuration applies.
    OpenSsl,

    // OpenSSL's low-level SHA256_* functions (OpenSslSha256), which bypass the providers: only when the app opts in.
    OpenSslLowLevel,
}
