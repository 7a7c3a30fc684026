using System.ComponentModel;
using System.Diagnostics;

namespace DataAccessAudit.Tests;

// Runs one of the repository's Python verifiers (docs/*.py) with python3, as a third party would.
internal static class PythonScript
{
    public static (int ExitCode, string Output, string Error) Run(string script, params string[] arguments) => Run(script, [], arguments);

    // Runs the script bound by file permissions: when the tests run as root (which reads every directory), still as
    // root but without the capabilities that override permission checks, so that it can still read the clone wherever
    // it is (under /root too) but not a directory whose mode denies it; otherwise as the current user.
    public static (int ExitCode, string Output, string Error) RunUnprivileged(string script, params string[] arguments) =>
        Run(script, Environment.IsPrivilegedProcess ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] : [], arguments);

    private static (int ExitCode, string Output, string Error) Run(string script, string[] prefix, string[] arguments)
    {
        var path = Path.Combine(RepositoryRoot(), "docs", script);
        var start = new ProcessStartInfo(prefix.Length > 0 ? prefix[0] : "python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in prefix.Skip(1).Append(prefix.Length > 0 ? "python3" : null).OfType<string>())
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception exception)
        {
            Assert.Fail($"python3 is required to run docs/{script} (it is installed in CI) but could not be started: {exception.Message}");
            throw;
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.GetAwaiter().GetResult());
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Audit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Audit.sln not found above " + AppContext.BaseDirectory);
    }
}
