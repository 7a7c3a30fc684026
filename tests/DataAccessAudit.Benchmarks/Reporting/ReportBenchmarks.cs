using BenchmarkDotNet.Attributes;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Reporting.Sources;

namespace DataAccessAudit.Benchmarks.Reporting;

/// <summary>
/// <c>report --format json</c> over a plain JSON Lines file (read on every core, counted, written as access-report/1)
/// against the peer, DuckDB loading the same file and running SQL for the same tables.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ReportBenchmarks
{
    private string _path = string.Empty;

    [Params(2_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup() => _path = ReportInputFile.Ensure(Events);

    [Benchmark(Baseline = true)]
    public long DuckDbSql() => DuckDbReport.Run(_path);

    [Benchmark]
    public long AccessReportJson()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions());
        JsonLinesReportReader.Read([_path], builder);
        var report = builder.Build(ReportIntegrity.Unverified);
        using var output = new MemoryStream();
        AccessReportJsonWriter.Write(output, report);
        return output.Length;
    }
}
