using BenchmarkDotNet.Attributes;
using DataAccessAudit.BulkData;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Benchmarks.BulkData;

/// <summary>
/// What the bulk-data monitor adds to each recorded access, on the writer's thread: a batch of accesses as the
/// recording pipeline hands it over. Peer: the policy decision of the same accesses, the per-access work every app
/// already pays.
/// </summary>
[MemoryDiagnoser]
public class BulkDataMonitorBenchmarks : IDisposable
{
    private const int Batch = 4096;

    private readonly AccessPolicy _policy = AccessPolicy.ProjectTexas;
    private BulkDataMonitor _monitor = null!;
    private AccessRecord[] _counted = [];
    private AccessRecord[] _domestic = [];

    [GlobalSetup]
    public void Setup()
    {
        _monitor = new BulkDataMonitor(BulkDataPolicy.DataSecurityProgram, new BulkDataMonitorOptions(), SystemClock.Instance);
        var random = new Random(2021);
        var day = Instant.FromUtc(2022, 1, 10, 0, 0);
        string[] types = ["contact-info", "precise-location", "payment-info", "device-id"];

        // Engineers in a country of concern reading US people's data, each access carrying one person's subject key
        // from a population of a million: the accesses the monitor counts.
        _counted = [.. Enumerable.Range(0, Batch).Select(i => Record(day + Duration.FromSeconds(i), $"cn-emp-{random.Next(60):00}", "CN", types[i % types.Length], $"hmac-{random.Next(1_000_000):000000}"))];

        // US staff reading the same data: the accesses of most apps, which the monitor only classifies.
        _domestic = [.. Enumerable.Range(0, Batch).Select(i => Record(day + Duration.FromSeconds(i), $"us-emp-{random.Next(300):000}", "US", types[i % types.Length], $"hmac-{random.Next(1_000_000):000000}"))];

        // Steady state: the day's tracks and sketches exist, as after the first accesses of a day.
        _monitor.WriteAsync(_counted, default).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _monitor.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int PolicyDecision()
    {
        var flagged = 0;
        foreach (var record in _counted)
        {
            flagged += _policy.Evaluate(record.Event).Outcome == AccessOutcome.Flagged ? 1 : 0;
        }

        return flagged;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public ValueTask MonitorCountedAccess() => _monitor.WriteAsync(_counted, default);

    [Benchmark(OperationsPerInvoke = Batch)]
    public ValueTask MonitorDomesticAccess() => _monitor.WriteAsync(_domestic, default);

    private AccessRecord Record(Instant time, string requester, string region, string type, string key)
    {
        var e = new AccessEvent(AccessEventId.New(time), time, new Requester(requester, Region.Parse(region)), new AccessedResource("user/1/" + type, Taxonomy.Protected, Region.Parse("US")) { Type = type }, "read")
        {
            SubjectKeys = [key],
        };
        return new AccessRecord(e, _policy.Evaluate(e));
    }
}
