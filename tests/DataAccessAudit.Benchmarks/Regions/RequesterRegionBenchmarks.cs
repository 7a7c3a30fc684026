using BenchmarkDotNet.Attributes;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Benchmarks.Regions;

/// <summary>
/// What telling a requester's region costs per request: parsing a country code (the peer) against looking up an
/// IANA time zone id, canonical and alias.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class RequesterRegionBenchmarks
{
    private readonly TimeZoneRegionResolver _resolver = TimeZoneRegionResolver.Default;
    private readonly string _code = "cn";

    [Benchmark(Baseline = true)]
    public Region ParseCountryCode() => Region.Parse(_code);

    [Benchmark]
    public Region ResolveTimeZone() => _resolver.Resolve("Asia/Shanghai");

    [Benchmark]
    public Region ResolveTimeZoneAlias() => _resolver.Resolve("US/Eastern");
}
