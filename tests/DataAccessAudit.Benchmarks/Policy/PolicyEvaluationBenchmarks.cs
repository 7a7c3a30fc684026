using BenchmarkDotNet.Attributes;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Benchmarks.Policy;

/// <summary>The cost of one policy decision on the app's thread: the part of recording nobody can skip.</summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private readonly AccessPolicy _policy = AccessPolicy.ProjectTexas;
    private readonly AccessEvent _domestic = Create("US", "US");
    private readonly AccessEvent _fromChina = Create("CN", "SG");

    [Benchmark(Baseline = true)]
    public AccessDecision Domestic() => _policy.Evaluate(_domestic);

    [Benchmark]
    public AccessDecision CrossBorderFromCountryOfConcern() => _policy.Evaluate(_fromChina);

    private static AccessEvent Create(string requesterRegion, string storedIn) => new(
        "0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a01",
        Instant.FromUtc(2021, 9, 14, 7, 31, 2),
        new Requester("emp-4411", Region.Parse(requesterRegion)),
        new AccessedResource("user/8812/messages", Taxonomy.Protected, Region.Parse("US")) { StoredIn = Region.Parse(storedIn) },
        "read");
}
