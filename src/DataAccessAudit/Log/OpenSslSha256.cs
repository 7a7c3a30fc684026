using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DataAccessAudit.Log;

// SHA-256 and HMAC-SHA256 links computed with OpenSSL's low-level SHA256_Init/Update/Final on contexts this class
// owns, so that a link costs only the compression of its blocks. Why: on Linux, IncrementalHash and the static
// HashData methods go through OpenSSL 3's EVP layer, whose per-call set-up (and, for HMAC, the reset of the MAC
// context) cost as much as hashing a 400-byte line itself (ChainHashBenchmarks). The HMAC's inner and outer
// key blocks are compressed once here and their states copied per link (RFC 2104), instead of being re-keyed.
// Only used when the app opts in (ChainHasher.NativeSwitch: these deprecated functions bypass OpenSSL 3's providers,
// so a FIPS configuration), and where the system's libcrypto exports them and a self-test against SHA256.HashData
// and HMACSHA256.HashData passes; ChainHasher uses IncrementalHash otherwise. Not thread-safe.
internal sealed unsafe class OpenSslSha256 : IChainLinkEngine
{
    // SHA256_CTX is 112 bytes in OpenSSL 1.1 and 3.x; a state slot leaves room to spare.
    private const int StateSize = 256;
    private const int BlockSize = 64;

    private static readonly Functions? Native = Load();

    private readonly Functions _native;
    private readonly byte* _states; // inner key state, outer key state, work state
    private readonly bool _keyed;
    private bool _disposed;

    private OpenSslSha256(Functions native, ReadOnlySpan<byte> key, bool keyed)
    {
        _native = native;
        _keyed = keyed;
        _states = (byte*)NativeMemory.AllocZeroed(3 * StateSize);
        if (keyed)
        {
            Span<byte> block = stackalloc byte[BlockSize];
            block.Clear();
            if (key.Length > BlockSize)
            {
                SHA256.HashData(key, block);
            }
            else
            {
                key.CopyTo(block);
            }

            KeyState(block, 0x36, _states);
            KeyState(block, 0x5c, _states + StateSize);
            block.Clear();
        }
    }

    // Whether the native functions are there and agree with .NET's implementations.
    public static bool IsAvailable => Native is not null;

    // A hasher, or null where the native functions are unavailable. An empty key means the unkeyed chain.
    public static OpenSslSha256? TryCreate(ReadOnlySpan<byte> key, bool keyed) =>
        Native is null ? null : new OpenSslSha256(Native, key, keyed);

    // link = SHA-256 or HMAC-SHA256 over previous ‖ body ‖ tail (tail may be empty).
    public void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tail, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var native = _native;
        var work = _states + (2 * StateSize);
        if (_keyed)
        {
            Buffer.MemoryCopy(_states, work, StateSize, StateSize);
        }
        else
        {
            native.Init(work);
        }

        fixed (byte* p = previous)
        fixed (byte* b = body)
        fixed (byte* t = tail)
        fixed (byte* d = destination)
        {
            native.Update(work, p, (nuint)previous.Length);
            native.Update(work, b, (nuint)body.Length);
            if (tail.Length > 0)
            {
                native.Update(work, t, (nuint)tail.Length);
            }

            if (!_keyed)
            {
                native.Final(d, work);
            }
            else
            {
                var inner = stackalloc byte[ChainHasher.Size];
                native.Final(inner, work);
                Buffer.MemoryCopy(_states + StateSize, work, StateSize, StateSize);
                native.Update(work, inner, ChainHasher.Size);
                native.Final(d, work);
            }
        }

        // _states is native memory the finalizer frees: this instance must stay reachable until the last native call.
        GC.KeepAlive(this);
    }

    // The key states live in native memory: a hasher that is never disposed still frees (and clears) them.
    ~OpenSslSha256() => Free();

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        // A constructor that failed to allocate leaves nothing to free (and a null pointer that must not be cleared).
        if (_disposed || _states == null)
        {
            return;
        }

        _disposed = true;
        new Span<byte>(_states, 3 * StateSize).Clear();
        NativeMemory.Free(_states);
    }

    private void KeyState(ReadOnlySpan<byte> key, byte pad, byte* state)
    {
        Span<byte> block = stackalloc byte[BlockSize];
        for (var i = 0; i < BlockSize; i++)
        {
            block[i] = (byte)(key[i] ^ pad);
        }

        _native.Init(state);
        fixed (byte* b = block)
        {
            _native.Update(state, b, BlockSize);
        }

        block.Clear();
    }

    private static Functions? Load()
    {
        if (!OpenSslLibrary.TryGetExport("SHA256_Init", out var init) ||
            !OpenSslLibrary.TryGetExport("SHA256_Update", out var update) ||
            !OpenSslLibrary.TryGetExport("SHA256_Final", out var final))
        {
            return null;
        }

        var functions = new Functions(
            (delegate* unmanaged<byte*, int>)init,
            (delegate* unmanaged<byte*, byte*, nuint, int>)update,
            (delegate* unmanaged<byte*, byte*, int>)final);
        return SelfTest(functions) ? functions : null;
    }

    // Checks the native functions against .NET's implementations (ChainLinkSelfTest).
    private static bool SelfTest(Functions functions)
    {
        try
        {
            return ChainLinkSelfTest.Passes((key, keyed) => new OpenSslSha256(functions, key, keyed));
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException or AccessViolationException)
        {
            return false;
        }
    }

    private sealed class Functions
    {
        private readonly delegate* unmanaged<byte*, int> _init;
        private readonly delegate* unmanaged<byte*, byte*, nuint, int> _update;
        private readonly delegate* unmanaged<byte*, byte*, int> _final;

        public Functions(delegate* unmanaged<byte*, int> init, delegate* unmanaged<byte*, byte*, nuint, int> update, delegate* unmanaged<byte*, byte*, int> final)
        {
            _init = init;
            _update = update;
            _final = final;
        }

        public void Init(byte* state) => _init(state);

        public void Update(byte* state, byte* data, nuint length) => _update(state, data, length);

        public void Final(byte* destination, byte* state) => _final(destination, state);
    }
}
