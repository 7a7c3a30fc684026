using BenchmarkDotNet.Attributes;
using DataAccessAudit.Log;

namespace DataAccessAudit.Benchmarks.Log;

/// <summary>
/// What the writer's check that its segment is still in place costs a batch (<c>SegmentCheck</c>: statx of the open
/// segment and of its name, as the writer makes them before each batch). Peer: the smallest write a batch makes, one
/// log line of about 560 bytes written at the segment's end (<c>WriteOneLine</c>), into the page cache, without fsync.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SegmentCheckBenchmarks : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"segment-check-{Guid.NewGuid():N}.jsonl");
    private readonly FileStream _file;
    private readonly byte[] _pathStatx;
    private readonly byte[] _line = new byte[560];
    private long _length;

    public SegmentCheckBenchmarks()
    {
        _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        _pathStatx = Statx.PathOf(_path);
        _line.AsSpan().Fill((byte)'x');
        _line[^1] = (byte)'\n';
    }

    [Benchmark(Baseline = true)]
    public void WriteOneLine()
    {
        // Back to the start now and then, so that the file stays small.
        if (_length > 64 << 20)
        {
            _length = 0;
        }

        RandomAccess.Write(_file.SafeFileHandle, _line, _length);
        _length += _line.Length;
    }

    [Benchmark]
    public bool SegmentCheck() =>
        Statx.TryReadOpen(_file.SafeFileHandle, out var open) && Statx.TryReadIdentity(_pathStatx, out var named) && named == open.Id;

    public void Dispose()
    {
        _file.Dispose();
        File.Delete(_path);
        GC.SuppressFinalize(this);
    }
}
