using BenchmarkDotNet.Running;
using DataAccessAudit.Benchmarks.Reporting;

// Run one group with: dotnet run -c Release --project tests/DataAccessAudit.Benchmarks -- --filter '*Policy*'
// Reporting peer, once, for /usr/bin/time -v: dotnet run -c Release --project tests/DataAccessAudit.Benchmarks -- duckdb FILE
// Generate the reporting input file: ... -- report-input EVENTS [keys|plain|requesters] (prints its path; keys: with
// subject keys; plain: without recorded decisions; requesters: a distinct requester for every event)
if (args is ["duckdb", var file])
{
    var stopwatch = System.Diagnostics.Stopwatch.StartNew();
    var rows = DuckDbReport.Run(file);
    Console.WriteLine($"duckdb: {rows} result rows in {stopwatch.Elapsed.TotalSeconds:0.000} s");
    return;
}

// Ingest into a store, for the PostgreSQL store against the file log: ... -- load-postgres FILE CONNECTION | load-file-log FILE DIR
if (args is ["load-postgres", var input, var connection])
{
    DataAccessAudit.Benchmarks.PostgreSql.StoreLoad.Run(input, connection, postgres: true);
    return;
}

if (args is ["load-file-log", var input2, var directory])
{
    DataAccessAudit.Benchmarks.PostgreSql.StoreLoad.Run(input2, directory, postgres: false);
    return;
}

if (args is ["report-input", var keyed, "keys"])
{
    Console.WriteLine(ReportInputFile.Ensure(int.Parse(keyed, System.Globalization.CultureInfo.InvariantCulture), subjectKeys: true));
    return;
}

if (args is ["report-input", var plainEvents, "plain"])
{
    Console.WriteLine(ReportInputFile.Ensure(int.Parse(plainEvents, System.Globalization.CultureInfo.InvariantCulture), plain: true));
    return;
}

if (args is ["report-input", var distinct, "requesters"])
{
    Console.WriteLine(ReportInputFile.Ensure(int.Parse(distinct, System.Globalization.CultureInfo.InvariantCulture), distinctRequesters: true));
    return;
}

if (args is ["report-input", var events])
{
    Console.WriteLine(ReportInputFile.Ensure(int.Parse(events, System.Globalization.CultureInfo.InvariantCulture)));
    return;
}

// On a shared machine, some methods of one class timed by CPU rather than wall time:
// ... -- cpu-time CLASS METHOD[,METHOD...] CALLS ROUNDS
if (args is ["cpu-time", var type, var methods, var calls, var rounds])
{
    DataAccessAudit.Benchmarks.CpuTimeRounds.Run(type, methods, int.Parse(calls, System.Globalization.CultureInfo.InvariantCulture), int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
