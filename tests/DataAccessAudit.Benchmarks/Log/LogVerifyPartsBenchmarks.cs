using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using DataAccessAudit.Benchmarks.Recording;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Benchmarks.Log;

/// <summary>
/// Where a verified line's time goes, per line of a keyed log (about 560 bytes, as the writer writes them): the
/// JSON pass that reads the members the chain needs (<c>ReadFields</c>, the compact reader; <c>ReadFieldsWithReader</c>,
/// Utf8JsonReader, which reads every line the compact reader declines), splitting off and decoding the chain value
/// (<c>SplitChain</c>), the link itself (<c>Link</c>: HMAC-SHA256 over the previous link and the line's body through
/// the default <see cref="ChainHasher"/>, OpenSSL 3's EVP interfaces called directly; <c>LinkPlatform</c>: through
/// .NET's <c>IncrementalHash</c>, where those are unavailable; <c>LinkLowLevel</c>: through OpenSSL's low-level
/// functions, the opt-in path), and all of them as the verifier does them (<c>WholeLine</c>). Peer: a vectorised search for the line
/// end over the same bytes (<c>FindLineEnd</c>), the least any reader does.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LogVerifyPartsBenchmarks : IDisposable
{
    private const int Lines = 1024;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ChainHasher _hasher;
    private readonly ChainHasher _lowLevel;
    private readonly ChainHasher _platform;
    private readonly byte[] _text;
    private readonly (int Start, int Length)[] _lines = new (int, int)[Lines];
    private readonly LogBlock _block = new();

    public LogVerifyPartsBenchmarks()
    {
        _hasher = ChainHasher.Keyed("k1", _key);
        _lowLevel = ChainHasher.Keyed("k1", _key, ChainHashEngine.OpenSslLowLevel);
        _platform = ChainHasher.Keyed("k1", _key, ChainHashEngine.Platform);
        using var writer = new LogLineWriter();
        var record = new AccessRecord(RecordingFixture.Event, AccessPolicy.ProjectTexas.Evaluate(RecordingFixture.Event));
        var chain = new byte[ChainHasher.Size];
        for (var i = 0; i < Lines; i++)
        {
            var start = writer.Length;
            writer.AppendEvent(record, i + 1, _hasher, chain);
            _lines[i] = (start, writer.Length - start - 1);
        }

        _text = writer.Written.ToArray();
        _block.Reset(0, new SegmentChain("k1", _key, Checked: true));
        var buffer = ArrayPool<byte>.Shared.Rent(_text.Length);
        _text.CopyTo(buffer, 0);
        _block.Adopt(buffer);
        foreach (var (start, length) in _lines)
        {
            _block.Add(new BlockLine { Start = start, Length = length, Terminated = true });
        }
    }

    [Benchmark(OperationsPerInvoke = Lines, Baseline = true)]
    public int FindLineEnd()
    {
        var total = 0;
        foreach (var (start, length) in _lines)
        {
            total += _text.AsSpan(start, length + 1).IndexOf((byte)'\n');
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public long ReadFields()
    {
        long total = 0;
        foreach (var (start, length) in _lines)
        {
            LogFormat.TryReadFields(_text.AsSpan(start, length), out var fields);
            total += fields.Seq ?? 0;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public long ReadFieldsWithReader()
    {
        long total = 0;
        foreach (var (start, length) in _lines)
        {
            LogFormat.TryReadFieldsWithReader(_text.AsSpan(start, length), out var fields);
            total += fields.Seq ?? 0;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int SplitChain()
    {
        Span<byte> chain = stackalloc byte[ChainHasher.Size];
        var total = 0;
        foreach (var (start, length) in _lines)
        {
            LogFormat.TrySplitChain(_text.AsSpan(start, length), out var prefix, chain);
            total += prefix.Length + chain[0];
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int Link()
    {
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        var total = 0;
        foreach (var (start, length) in _lines)
        {
            _hasher.LinkPrefix(link, _text.AsSpan(start, length - LogFormat.ChainSuffixLength), link);
            total += link[0];
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int LinkPlatform()
    {
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        var total = 0;
        foreach (var (start, length) in _lines)
        {
            _platform.LinkPrefix(link, _text.AsSpan(start, length - LogFormat.ChainSuffixLength), link);
            total += link[0];
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int LinkLowLevel()
    {
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        var total = 0;
        foreach (var (start, length) in _lines)
        {
            _lowLevel.LinkPrefix(link, _text.AsSpan(start, length - LogFormat.ChainSuffixLength), link);
            total += link[0];
        }

        return total;
    }

    // What a worker does with a block of these lines (LinkCheck): the JSON pass, the chain value compared in hex, and
    // the link: default, platform and low-level.
    [Benchmark(OperationsPerInvoke = Lines)]
    public int WholeLine() => Check(_hasher);

    [Benchmark(OperationsPerInvoke = Lines)]
    public int WholeLinePlatform() => Check(_platform);

    [Benchmark(OperationsPerInvoke = Lines)]
    public int WholeLineLowLevel() => Check(_lowLevel);

    private int Check(ChainHasher hasher)
    {
        LinkCheck.Run(_block, hasher);
        var linked = 0;
        for (var i = 0; i < _block.Count; i++)
        {
            linked += _block.Lines[i].Follows ? 1 : 0;
        }

        return linked;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _hasher.Dispose();
        _lowLevel.Dispose();
        _platform.Dispose();
        _block.ReturnBuffer();
        GC.SuppressFinalize(this);
    }
}
