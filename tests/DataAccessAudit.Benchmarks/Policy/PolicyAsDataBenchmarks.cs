using BenchmarkDotNet.Attributes;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Benchmarks.Policy;

/// <summary>
/// A policy loaded from its JSON file must decide as fast as the preset built in code (same evaluator, same tables);
/// loading itself happens once at start-up and is measured for scale.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class PolicyAsDataBenchmarks
{
    private readonly string _presetJson = AccessPolicyJson.Format(AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas));
    private readonly AccessPolicy _builtIn = AccessPolicy.ProjectTexas;
    private AccessPolicy _loaded = AccessPolicy.ProjectTexas;
    private readonly AccessEvent _fromChina = new(
        "0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a01",
        Instant.FromUtc(2021, 9, 14, 7, 31, 2),
        new Requester("emp-4411", Region.Parse("CN")),
        new AccessedResource("user/8812/messages", Taxonomy.Protected, Region.Parse("US")) { StoredIn = Region.Parse("SG") },
        "read");

    [GlobalSetup]
    public void LoadOnce() => _loaded = AccessPolicyJson.Parse(_presetJson);

    [Benchmark(Baseline = true)]
    public AccessDecision EvaluateBuiltInPreset() => _builtIn.Evaluate(_fromChina);

    [Benchmark]
    public AccessDecision EvaluatePresetLoadedFromJson() => _loaded.Evaluate(_fromChina);

    [Benchmark]
    public AccessPolicy LoadPresetFromJson() => AccessPolicyJson.Parse(_presetJson);
}
