using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DataAccessAudit.Log;

// SHA-256 and HMAC-SHA256 links through OpenSSL 3's EVP interfaces (EVP_MD, EVP_MAC), called directly on a context
// this class owns. The algorithms are fetched from OpenSSL's default library context, as .NET's own cryptography
// fetches them, so a host whose OpenSSL is configured for FIPS chains its log with its FIPS provider. Why not
// IncrementalHash: each of the three calls a link makes through it (update, final, reset) clears the thread's
// OpenSSL error queue and adds and releases a SafeHandle, which together cost about a quarter of verifying a line;
// here a link is a re-initialisation, the updates and the final, each checked. Used by ChainHasher by default where
// libcrypto 3 exports these functions and a self-test against SHA256.HashData and HMACSHA256.HashData passes;
// IncrementalHash otherwise. Not thread-safe.
internal sealed unsafe class OpenSslEvpHash : IChainLinkEngine
{
    private static readonly Functions? Native = Load();

    private readonly Functions _native;
    private readonly bool _keyed;
    private IntPtr _context; // EVP_MAC_CTX* when keyed, EVP_MD_CTX* otherwise

    private OpenSslEvpHash(Functions native, ReadOnlySpan<byte> key, bool keyed)
    {
        _native = native;
        _keyed = keyed;
        _context = keyed ? native.NewMacContext() : native.NewDigestContext();
        if (_context == IntPtr.Zero)
        {
            throw new CryptographicException("OpenSSL could not allocate a hash context for the log's chain.");
        }

        if (keyed)
        {
            Check(native.InitMac(_context, key));
        }
    }

    // Whether the functions are there and agree with .NET's implementations.
    public static bool IsAvailable => Native is not null;

    // A hasher, or null where the functions are unavailable. keyed false means the unkeyed chain (key unused).
    public static OpenSslEvpHash? TryCreate(ReadOnlySpan<byte> key, bool keyed) =>
        Native is null ? null : new OpenSslEvpHash(Native, key, keyed);

    // link = SHA-256 or HMAC-SHA256 over previous ‖ body ‖ tail (tail may be empty). Called for every line a log
    // writes or verifies: compiled optimised at once (and the calls into OpenSSL inlined into it), because tiered
    // compilation would run the first tens of thousands of links through unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tail, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_context == IntPtr.Zero, this);
        var native = _native;
        var context = _context;
        if (_keyed)
        {
            // Without a key, EVP_MAC_init starts a new MAC with the key already set.
            Check(native.ResetMac(context));
            Check(native.UpdateMac(context, previous));
            Check(native.UpdateMac(context, body));
            Check(native.UpdateMac(context, tail));
            Check(native.FinalMac(context, destination));
        }
        else
        {
            Check(native.InitDigest(context));
            Check(native.UpdateDigest(context, previous));
            Check(native.UpdateDigest(context, body));
            Check(native.UpdateDigest(context, tail));
            Check(native.FinalDigest(context, destination));
        }

        // _context is native memory the finalizer frees: this instance must stay reachable until the last call.
        GC.KeepAlive(this);
    }

    // The context holds the key's state: a hasher that is never disposed still frees (and so clears) it.
    ~OpenSslEvpHash() => Free();

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_context == IntPtr.Zero)
        {
            return;
        }

        if (_keyed)
        {
            _native.FreeMacContext(_context);
        }
        else
        {
            _native.FreeDigestContext(_context);
        }

        _context = IntPtr.Zero;
    }

    private static void Check(bool succeeded)
    {
        if (!succeeded)
        {
            throw new CryptographicException("OpenSSL failed to compute a link of the log's chain.");
        }
    }

    private static Functions? Load()
    {
        string[] names =
        [
            "EVP_MAC_fetch", "EVP_MAC_CTX_new", "EVP_MAC_CTX_free", "EVP_MAC_init", "EVP_MAC_update", "EVP_MAC_final",
            "EVP_MD_fetch", "EVP_MD_CTX_new", "EVP_MD_CTX_free", "EVP_DigestInit_ex2", "EVP_DigestUpdate", "EVP_DigestFinal_ex",
        ];
        var addresses = new IntPtr[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (!OpenSslLibrary.TryGetExport(names[i], out addresses[i]))
            {
                return null;
            }
        }

        try
        {
            var functions = new Functions(addresses);
            return functions.IsComplete && SelfTest(functions) ? functions : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // Checks the functions against .NET's implementations (ChainLinkSelfTest).
    private static bool SelfTest(Functions functions) =>
        ChainLinkSelfTest.Passes((key, keyed) => new OpenSslEvpHash(functions, key, keyed));

    // OSSL_PARAM, as OpenSSL 3 declares it.
    [StructLayout(LayoutKind.Sequential)]
    private struct OsslParam
    {
        public byte* Key;
        public uint DataType;
        public void* Data;
        public nuint DataSize;
        public nuint ReturnSize;
    }

    private sealed class Functions
    {
        private const uint Utf8String = 4; // OSSL_PARAM_UTF8_STRING

        private readonly delegate* unmanaged<IntPtr, IntPtr> _macContextNew;
        private readonly delegate* unmanaged<IntPtr, void> _macContextFree;
        private readonly delegate* unmanaged<IntPtr, byte*, nuint, OsslParam*, int> _macInit;
        private readonly delegate* unmanaged<IntPtr, byte*, nuint, int> _macUpdate;
        private readonly delegate* unmanaged<IntPtr, byte*, nuint*, nuint, int> _macFinal;
        private readonly delegate* unmanaged<IntPtr> _digestContextNew;
        private readonly delegate* unmanaged<IntPtr, void> _digestContextFree;
        private readonly delegate* unmanaged<IntPtr, IntPtr, OsslParam*, int> _digestInit;
        private readonly delegate* unmanaged<IntPtr, byte*, nuint, int> _digestUpdate;
        private readonly delegate* unmanaged<IntPtr, byte*, uint*, int> _digestFinal;

        // Fetched once from the default library context (so under its configuration, FIPS included) and kept for the
        // process's lifetime; OpenSSL's fetched algorithms may be shared between threads.
        private readonly IntPtr _mac;
        private readonly IntPtr _digest;

        public Functions(IntPtr[] a)
        {
            var macFetch = (delegate* unmanaged<IntPtr, byte*, byte*, IntPtr>)a[0];
            _macContextNew = (delegate* unmanaged<IntPtr, IntPtr>)a[1];
            _macContextFree = (delegate* unmanaged<IntPtr, void>)a[2];
            _macInit = (delegate* unmanaged<IntPtr, byte*, nuint, OsslParam*, int>)a[3];
            _macUpdate = (delegate* unmanaged<IntPtr, byte*, nuint, int>)a[4];
            _macFinal = (delegate* unmanaged<IntPtr, byte*, nuint*, nuint, int>)a[5];
            var digestFetch = (delegate* unmanaged<IntPtr, byte*, byte*, IntPtr>)a[6];
            _digestContextNew = (delegate* unmanaged<IntPtr>)a[7];
            _digestContextFree = (delegate* unmanaged<IntPtr, void>)a[8];
            _digestInit = (delegate* unmanaged<IntPtr, IntPtr, OsslParam*, int>)a[9];
            _digestUpdate = (delegate* unmanaged<IntPtr, byte*, nuint, int>)a[10];
            _digestFinal = (delegate* unmanaged<IntPtr, byte*, uint*, int>)a[11];
            fixed (byte* hmac = "HMAC\0"u8)
            fixed (byte* sha256 = "SHA256\0"u8)
            {
                _mac = macFetch(IntPtr.Zero, hmac, null);
                _digest = digestFetch(IntPtr.Zero, sha256, null);
            }
        }

        public bool IsComplete => _mac != IntPtr.Zero && _digest != IntPtr.Zero;

        public IntPtr NewMacContext() => _macContextNew(_mac);

        public IntPtr NewDigestContext() => _digestContextNew();

        public void FreeMacContext(IntPtr context) => _macContextFree(context);

        public void FreeDigestContext(IntPtr context) => _digestContextFree(context);

        // Sets the key and the digest (SHA-256) of a new MAC context.
        public bool InitMac(IntPtr context, ReadOnlySpan<byte> key)
        {
            // An empty key is a valid HMAC key, but a null pointer would mean "keep the key": point at a byte.
            byte none = 0;
            fixed (byte* name = "digest\0"u8)
            fixed (byte* value = "SHA256\0"u8)
            fixed (byte* k = key)
            {
                var parameters = stackalloc OsslParam[2];
                parameters[0] = new OsslParam { Key = name, DataType = Utf8String, Data = value, DataSize = 6, ReturnSize = nuint.MaxValue };
                parameters[1] = default;
                return _macInit(context, k == null ? &none : k, (nuint)key.Length, parameters) == 1;
            }
        }

        public bool ResetMac(IntPtr context) => _macInit(context, null, 0, null) == 1;

        public bool UpdateMac(IntPtr context, ReadOnlySpan<byte> data) => Update(_macUpdate, context, data);

        public bool FinalMac(IntPtr context, Span<byte> destination)
        {
            nuint written = 0;
            fixed (byte* d = destination)
            {
                return _macFinal(context, d, &written, (nuint)destination.Length) == 1 && written == ChainHasher.Size;
            }
        }

        public bool InitDigest(IntPtr context) => _digestInit(context, _digest, null) == 1;

        public bool UpdateDigest(IntPtr context, ReadOnlySpan<byte> data) => Update(_digestUpdate, context, data);

        public bool FinalDigest(IntPtr context, Span<byte> destination)
        {
            uint written = 0;
            fixed (byte* d = destination)
            {
                return destination.Length >= ChainHasher.Size && _digestFinal(context, d, &written) == 1 && written == ChainHasher.Size;
            }
        }

        // EVP_MAC_update and EVP_DigestUpdate take the same arguments; an empty span's pointer is null, so it is not passed.
        private static bool Update(delegate* unmanaged<IntPtr, byte*, nuint, int> update, IntPtr context, ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty)
            {
                return true;
            }

            fixed (byte* d = data)
            {
                return update(context, d, (nuint)data.Length) == 1;
            }
        }
    }
}
