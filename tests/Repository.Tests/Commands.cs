using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DataAccessAudit.Repository.Tests;

// Runs the commands a newcomer types: dotnet, bash, the installed tool.
internal static class Commands
{
    // The .NET installation the tests run on, for the tool's apphost and for child processes.
    public static string DotnetRoot { get; } =
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>
    /// Runs a command with its output sent to a file rather than a pipe: build servers and MSBuild nodes that outlive
    /// a dotnet command would otherwise hold the pipe open, and reading it would never end.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> Run(
        string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string file, params string[] arguments)
    {
        var log = Path.Combine(Path.GetTempPath(), $"repository-tests-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >\"$LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(file);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Configure(start, environment);
        start.Environment["LOG"] = log;
        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in {timeout}:\n{Tail(log)}");
            }

            return (process.ExitCode, File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty);
        }
        finally
        {
            File.Delete(log);
        }
    }

    /// <summary>Runs a command and fails the test, showing its output, unless it exits with 0.</summary>
    public static async Task<string> RunOrFail(
        string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string file, params string[] arguments)
    {
        var (exitCode, output) = await Run(workingDirectory, environment, timeout, file, arguments);
        Assert.True(exitCode == 0, $"{file} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        return output;
    }

    public static void Configure(ProcessStartInfo start, IReadOnlyDictionary<string, string>? environment)
    {
        // The test runs under `dotnet test`; its MSBuild settings must not leak into the commands a user would type.
        foreach (var key in start.Environment.Keys.Where(key =>
            key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) ||
            key.StartsWith("MSBuild", StringComparison.Ordinal) ||
            key.StartsWith("DOTNET_HOST_PATH", StringComparison.Ordinal) ||
            key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_ROOT"] = DotnetRoot;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["PATH"] = DotnetRoot + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
    }

    private static string Tail(string log)
    {
        if (!File.Exists(log))
        {
            return string.Empty;
        }

        var text = File.ReadAllText(log);
        return text.Length <= 8000 ? text : text[^8000..];
    }
}
