using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace DataAccessAudit.Benchmarks;

/// <summary>
/// Runs some methods of one benchmark class in interleaved rounds and times each by the process's CPU time rather
/// than the wall clock: on a machine whose cores other work shares, BenchmarkDotNet's wall times mostly measure the
/// waiting, while the CPU a call takes stays close to what it takes alone. Prints, per method, the median, least and
/// most CPU nanoseconds per operation (a call divided by its <c>OperationsPerInvoke</c>).
/// </summary>
internal static class CpuTimeRounds
{
    public static void Run(string typeName, string methodNames, int calls, int rounds)
    {
        var type = typeof(CpuTimeRounds).Assembly.GetTypes().Single(t => t.Name == typeName);
        var instance = Activator.CreateInstance(type)!;
        var methods = methodNames.Split(',').Select(name => type.GetMethod(name) ?? throw new ArgumentException($"{typeName} has no method {name}.", nameof(methodNames))).ToArray();
        var nanoseconds = methods.Select(_ => new List<double>()).ToArray();

        // Round 0 warms up (compiles every method fully) and is not counted.
        for (var round = 0; round <= rounds; round++)
        {
            for (var m = 0; m < methods.Length; m++)
            {
                var operations = methods[m].GetCustomAttribute<BenchmarkAttribute>()?.OperationsPerInvoke ?? 1;
                using var process = Process.GetCurrentProcess();
                var before = process.TotalProcessorTime;
                for (var call = 0; call < calls; call++)
                {
                    methods[m].Invoke(instance, null);
                }

                process.Refresh();
                if (round > 0)
                {
                    nanoseconds[m].Add((process.TotalProcessorTime - before).TotalMilliseconds * 1e6 / ((double)calls * operations));
                }
            }
        }

        (instance as IDisposable)?.Dispose();
        for (var m = 0; m < methods.Length; m++)
        {
            var sorted = nanoseconds[m].Order().ToArray();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{methods[m].Name}: median {sorted[sorted.Length / 2]:0} ns CPU/op, least {sorted[0]:0}, most {sorted[^1]:0} ({rounds} rounds of {calls} calls)"));
        }
    }
}
