using BenchmarkDotNet.Attributes;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Benchmarks.Recording;

/// <summary>
/// The background writer's cost per access, split into serialising and chaining, one line at a time on one thread
/// and pipelined on two (<see cref="LinePipeline"/>, what the file log does for batches of 512 or more). The chain
/// uses the default hasher (OpenSSL 3's EVP interfaces); <c>*NativeOptIn</c> is the opt-in OpenSSL low-level path.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LogWriterBenchmarks : IDisposable
{
    private const int Batch = 4096;
    private readonly AccessRecord[] _batch = Enumerable.Repeat(new AccessRecord(RecordingFixture.Event, AccessPolicy.ProjectTexas.Evaluate(RecordingFixture.Event)), Batch).ToArray();
    private readonly LogLineWriter _lines = new();
    private readonly ChainHasher _keyed = ChainHasher.Keyed("k1", new byte[32]);
    private readonly ChainHasher _unkeyed = ChainHasher.Unkeyed();
    private readonly ChainHasher _keyedNative = ChainHasher.Keyed("k1", new byte[32], ChainHashEngine.OpenSslLowLevel);
    private readonly LinePipeline _pipeline = new();
    private readonly byte[] _body = new byte[400];
    private readonly byte[] _chain = new byte[32];
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(4 * 1024 * 1024);
    private readonly System.Text.Json.Utf8JsonWriter _json = new(Stream.Null);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int SerialiseAndChainKeyed() => Serialise(_keyed);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int SerialiseAndChainUnkeyed() => Serialise(_unkeyed);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int SerialiseAndChainKeyedNativeOptIn() => Serialise(_keyedNative);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int SerialiseAndChainKeyedPipelined() => _pipeline.Write(_batch, 1, _keyed, _chain).Count;

    [Benchmark(OperationsPerInvoke = Batch)]
    public long SerialiseOnly()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        foreach (ref readonly var record in _batch.AsSpan())
        {
            AccessEventLine.Write(_json, record);
            _json.Flush();
            _json.Reset(_buffer);
        }

        return _buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int ChainOnlyKeyed()
    {
        Span<byte> link = stackalloc byte[32];
        for (var i = 0; i < Batch; i++)
        {
            _keyed.Link(link, _body, link);
        }

        return link[0];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _lines.Dispose();
        _json.Dispose();
        _keyed.Dispose();
        _unkeyed.Dispose();
        _keyedNative.Dispose();
        _pipeline.Dispose();
        GC.SuppressFinalize(this);
    }

    private int Serialise(ChainHasher hasher)
    {
        _lines.Clear();
        var seq = 0L;
        foreach (ref readonly var record in _batch.AsSpan())
        {
            _lines.AppendEvent(record, ++seq, hasher, _chain);
        }

        return _lines.Length;
    }
}
