using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using DataAccessAudit.Log;

namespace DataAccessAudit.Benchmarks.Recording;

/// <summary>
/// One link of the chain over a 32-byte previous link and a 400-byte body, computed the ways .NET offers: the
/// writer's <see cref="ChainHasher"/> by default (<c>*Evp</c>: OpenSSL 3's EVP interfaces called directly), where
/// those are unavailable (<c>*Incremental</c>: a reused <see cref="IncrementalHash"/>, one append of the contiguous
/// input), the opt-in OpenSSL low-level path (<c>ChainHasherKeyed</c>/<c>Unkeyed</c>), and
/// as peers the reused <see cref="IncrementalHash"/> by hand and the static one-shot <c>HashData</c> methods. The other
/// forms .NET supports for a keyed link, each a candidate for the default: two appends instead of copying the input
/// together (<c>IncrementalHmacTwoAppends</c>), a reused <see cref="HMACSHA256"/> instance
/// (<c>HmacSha256Instance</c>), the static <c>TryHashData</c> (<c>HmacSha256TryHashData</c>), and a clone of a
/// keyed template per link (<c>IncrementalHmacClone</c>, .NET 10).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ChainHashBenchmarks : IDisposable
{
    private const int Links = 1024;
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _input = new byte[32 + 400];
    private readonly byte[] _link = new byte[32];
    private readonly ChainHasher _keyed = ChainHasher.Keyed("k1", new byte[32], ChainHashEngine.OpenSslLowLevel);
    private readonly ChainHasher _unkeyed = ChainHasher.Unkeyed(ChainHashEngine.OpenSslLowLevel);
    private readonly ChainHasher _keyedEvp = ChainHasher.Keyed("k1", new byte[32], ChainHashEngine.OpenSsl);
    private readonly ChainHasher _unkeyedEvp = ChainHasher.Unkeyed(ChainHashEngine.OpenSsl);
    private readonly ChainHasher _keyedIncremental = ChainHasher.Keyed("k1", new byte[32], ChainHashEngine.Platform);
    private readonly ChainHasher _unkeyedIncremental = ChainHasher.Unkeyed(ChainHashEngine.Platform);
    private readonly IncrementalHash _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, new byte[32]);
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly HMACSHA256 _hmacInstance = new(new byte[32]);

    public ChainHashBenchmarks() => "{\"schema\":\"access-event/1\"}"u8.CopyTo(_input.AsSpan(32));

    [Benchmark(OperationsPerInvoke = Links)]
    public byte ChainHasherKeyed()
    {
        for (var i = 0; i < Links; i++)
        {
            _keyed.Link(_link, _input.AsSpan(32), _link);
        }

        return _link[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte ChainHasherUnkeyed()
    {
        for (var i = 0; i < Links; i++)
        {
            _unkeyed.Link(_link, _input.AsSpan(32), _link);
        }

        return _link[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte ChainHasherKeyedEvp()
    {
        for (var i = 0; i < Links; i++)
        {
            _keyedEvp.Link(_link, _input.AsSpan(32), _link);
        }

        return _link[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte ChainHasherUnkeyedEvp()
    {
        for (var i = 0; i < Links; i++)
        {
            _unkeyedEvp.Link(_link, _input.AsSpan(32), _link);
        }

        return _link[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte ChainHasherKeyedIncremental()
    {
        for (var i = 0; i < Links; i++)
        {
            _keyedIncremental.Link(_link, _input.AsSpan(32), _link);
        }

        return _link[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte ChainHasherUnkeyedIncremental()
    {
        for (var i = 0; i < Links; i++)
        {
            _unkeyedIncremental.Link(_link, _input.AsSpan(32), _link);
        }

        return _link[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte IncrementalHmacOneAppend()
    {
        for (var i = 0; i < Links; i++)
        {
            _hmac.AppendData(_input);
            _hmac.GetHashAndReset(_input.AsSpan(0, 32));
        }

        return _input[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte IncrementalHmacTwoAppends()
    {
        for (var i = 0; i < Links; i++)
        {
            _hmac.AppendData(_input.AsSpan(0, 32));
            _hmac.AppendData(_input.AsSpan(32));
            _hmac.GetHashAndReset(_input.AsSpan(0, 32));
        }

        return _input[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte IncrementalHmacClone()
    {
        for (var i = 0; i < Links; i++)
        {
            using var link = _hmac.Clone();
            link.AppendData(_input);
            link.GetHashAndReset(_input.AsSpan(0, 32));
        }

        return _input[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte HmacSha256Instance()
    {
        for (var i = 0; i < Links; i++)
        {
            _hmacInstance.TryComputeHash(_input, _input.AsSpan(0, 32), out _);
        }

        return _input[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte HmacSha256TryHashData()
    {
        for (var i = 0; i < Links; i++)
        {
            HMACSHA256.TryHashData(_key, _input, _input.AsSpan(0, 32), out _);
        }

        return _input[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte IncrementalShaOneAppend()
    {
        for (var i = 0; i < Links; i++)
        {
            _sha.AppendData(_input);
            _sha.GetHashAndReset(_input.AsSpan(0, 32));
        }

        return _input[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte HmacSha256HashData()
    {
        for (var i = 0; i < Links; i++)
        {
            HMACSHA256.HashData(_key, _input, _input.AsSpan(0, 32));
        }

        return _input[0];
    }

    [Benchmark(OperationsPerInvoke = Links)]
    public byte Sha256HashData()
    {
        for (var i = 0; i < Links; i++)
        {
            SHA256.HashData(_input, _input.AsSpan(0, 32));
        }

        return _input[0];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _keyed.Dispose();
        _unkeyed.Dispose();
        _keyedEvp.Dispose();
        _unkeyedEvp.Dispose();
        _keyedIncremental.Dispose();
        _unkeyedIncremental.Dispose();
        _hmac.Dispose();
        _sha.Dispose();
        _hmacInstance.Dispose();
        GC.SuppressFinalize(this);
    }
}
