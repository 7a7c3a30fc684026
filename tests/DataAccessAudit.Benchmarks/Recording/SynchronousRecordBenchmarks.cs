using BenchmarkDotNet.Attributes;
using DataAccessAudit.Log;
using DataAccessAudit.Recording;

namespace DataAccessAudit.Benchmarks.Recording;

/// <summary>
/// Synchronous durability: each Record returns only once its access is fsync'ed. With more concurrent callers,
/// more accesses share one fsync (group commit). Throughput in accesses per second = 1 / (time per operation).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class SynchronousRecordBenchmarks
{
    private const int Events = 2048;
    private string _directory = string.Empty;
    private AccessAuditor _auditor = null!;
    private RecordingQueue _queue = null!;
    private FileLog _log = null!;

    [Params(1, 8, 64)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = RecordingFixture.NewDirectory();
        (_auditor, _queue, _log) = RecordingFixture.Auditor(_directory, new RecordingOptions { Durability = RecordingDurability.Synchronous });
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void RecordSynchronous()
    {
        var perCaller = Events / Callers;
        var threads = new Thread[Callers];
        for (var t = 0; t < Callers; t++)
        {
            threads[t] = new Thread(() =>
            {
                for (var i = 0; i < perCaller; i++)
                {
                    _auditor.Record(RecordingFixture.Event);
                }
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _queue.Dispose();
        _log.Dispose();
        RecordingFixture.Delete(_directory);
    }
}
