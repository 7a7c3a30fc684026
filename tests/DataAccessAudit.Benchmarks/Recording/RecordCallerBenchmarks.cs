using BenchmarkDotNet.Attributes;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Serilog.Core;

namespace DataAccessAudit.Benchmarks.Recording;

/// <summary>
/// The app thread's cost of recording one access (policy evaluation + enqueue) in Buffered mode, against Serilog's
/// buffered File sink writing the same fields. Each invocation records a queue's half-capacity of events while
/// the writer drains on the other core; the queue is drained between iterations, so calls never wait for room.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15, invocationCount: 1)]
public class RecordCallerBenchmarks
{
    private const int Calls = 32 * 1024;
    private string _directory = string.Empty;
    private AccessAuditor _auditor = null!;
    private RecordingQueue _queue = null!;
    private FileLog _log = null!;
    private Logger _serilog = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = RecordingFixture.NewDirectory();
        (_auditor, _queue, _log) = RecordingFixture.Auditor(_directory, new RecordingOptions { Capacity = 2 * Calls });
        _serilog = RecordingFixture.Serilog(_directory);
    }

    [IterationSetup]
    public void Drain() => _queue.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public AccessDecision SerilogFileCompactJson()
    {
        AccessDecision decision = default;
        for (var i = 0; i < Calls; i++)
        {
            decision = AccessPolicy.ProjectTexas.Evaluate(RecordingFixture.Event);
            RecordingFixture.Log(_serilog, RecordingFixture.Event, decision);
        }

        return decision;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public AccessDecision AuditorRecordBuffered()
    {
        AccessDecision decision = default;
        for (var i = 0; i < Calls; i++)
        {
            decision = _auditor.Record(RecordingFixture.Event);
        }

        return decision;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _queue.Dispose();
        _log.Dispose();
        _serilog.Dispose();
        RecordingFixture.Delete(_directory);
    }
}
