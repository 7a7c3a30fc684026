using System.Diagnostics;

namespace DataAccessAudit.ReportGenerator.Tests;

// Runs access-report in a process of its own, for what cannot be arranged inside the test process: as a user who may
// not read a directory, or on a small file system of its own that fills up.
internal static class ToolProcess
{
    public static string Tool => Path.Combine(AppContext.BaseDirectory, "access-report.dll");

    // unprivileged: bound by file permissions when the tests run as root (which reads every directory): still root, so the
    // tool's files are readable wherever the clone is (under /root too), but without the capabilities that override
    // permission checks.
    public static Task<(int ExitCode, string Output, string Error)> Run(string[] arguments, bool unprivileged = false) =>
        Start([.. unprivileged && Environment.IsPrivilegedProcess ? (string[])["setpriv", "--bounding-set=-dac_override,-dac_read_search"] : [], "dotnet", "exec", Tool, .. arguments]);

    // Runs a shell script in a mount namespace of its own, as root of a user namespace (no privilege needed), so that
    // it can mount a small tmpfs, fill it and run the tool on it; $1 is the tool.
    public static Task<(int ExitCode, string Output, string Error)> RunInMountNamespace(string script, params string[] arguments) =>
        Start(["unshare", "--user", "--map-root-user", "--mount", "sh", "-ec", script, "sh", Tool, .. arguments]);

    // Runs a shell script, for a limit set on the tool's process alone (ulimit); $1 is the tool.
    public static Task<(int ExitCode, string Output, string Error)> RunScript(string script, params string[] arguments) =>
        Start(["sh", "-ec", script, "sh", Tool, .. arguments]);

    private static async Task<(int ExitCode, string Output, string Error)> Start(string[] command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["SOURCE_DATE_EPOCH"] = CommandRun.Epoch;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, output, await error);
    }
}
