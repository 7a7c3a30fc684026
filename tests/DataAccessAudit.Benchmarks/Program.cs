using BenchmarkDotNet.Running;

// Run one group with: dotnet run -c Release --project tests/DataAccessAudit.Benchmarks -- --filter '*Policy*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
