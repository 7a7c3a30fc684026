using BenchmarkDotNet.Attributes;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;

namespace DataAccessAudit.Benchmarks.Recording;

/// <summary>
/// Sustained end-to-end throughput: record 200,000 accesses from one thread and wait until they are serialised,
/// chained (HMAC-SHA256), written and fsync'ed; against Serilog's buffered File sink with compact JSON, until the
/// logger is disposed (its buffer flushed to the OS) and the file fsync'ed.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class RecordThroughputBenchmarks
{
    private const int Events = 200_000;
    private string _directory = string.Empty;

    [IterationSetup]
    public void NewDirectory() => _directory = RecordingFixture.NewDirectory();

    [IterationCleanup]
    public void DeleteDirectory() => RecordingFixture.Delete(_directory);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void SerilogFileCompactJson()
    {
        Directory.CreateDirectory(_directory);
        using (var logger = RecordingFixture.Serilog(_directory))
        {
            for (var i = 0; i < Events; i++)
            {
                RecordingFixture.Log(logger, RecordingFixture.Event, AccessPolicy.ProjectTexas.Evaluate(RecordingFixture.Event));
            }
        }

        using var file = new FileStream(Path.Combine(_directory, "serilog.jsonl"), FileMode.Open, FileAccess.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void AuditorToFileLog()
    {
        var (auditor, queue, log) = RecordingFixture.Auditor(_directory, new RecordingOptions());
        for (var i = 0; i < Events; i++)
        {
            auditor.Record(RecordingFixture.Event);
        }

        queue.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        queue.Dispose();
        log.Dispose();
    }
}
