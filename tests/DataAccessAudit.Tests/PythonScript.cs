using System.ComponentModel;
using System.Diagnostics;

namespace DataAccessAudit.Tests;

// Runs one of the repository's Python verifiers (docs/*.py) with python3, as a third party would.
internal static class PythonScript
{
    public static (int ExitCode, string Output, string Error) Run(string script, params string[] arguments) => Run(script, [], arguments);

    // Runs the script as a user who may not read what only its owner may: nobody when the tests run as root (root
    // reads everything), with the system's python3 (a python3 under root's home is not nobody's to run); otherwise the
    // current user.
    public static (int ExitCode, string Output, string Error) RunUnprivileged(string script, params string[] arguments) =>
        Run(script, Environment.IsPrivilegedProcess ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "PATH=/usr/local/bin:/usr/bin:/bin"] : [], arguments);

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
