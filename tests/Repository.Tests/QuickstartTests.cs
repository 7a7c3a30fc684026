using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DataAccessAudit.Repository.Tests;

// The README's quickstart, pasted into a fresh web app outside the solution that references the packed packages by
// version, run on a loopback port, then the README's commands for the compliance team run on the log it wrote.
[Collection(nameof(PackedRepositoryGroup))]
public sealed partial class QuickstartTests(PackedRepository packed)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);

    // Test projects that choose their target frameworks themselves; every other test and sample runs on net10.0 only.
    private static readonly HashSet<string> MultiTargetedTests = ["tests/DataAccessAudit.EntityFrameworkCore.Tests/DataAccessAudit.EntityFrameworkCore.Tests.csproj"];

    private static string ReadmePath => RepositoryFiles.Path("README.md");

    [Fact]
    public async Task Readme_PastedIntoANewWebApp_AllowsAndRefuses_ThenTheToolVerifiesAndReportsItsLog()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var app = Path.Combine(packed.Root, "MyApp");
        await CreateWebApp(app);
        File.WriteAllText(Path.Combine(app, "Program.cs"), Readme.Block(ReadmePath, "csharp Program.cs"));
        File.WriteAllText(Path.Combine(app, "appsettings.json"), Readme.Block(ReadmePath, "json appsettings.json"));
        packed.WriteNuGetConfig(app);
        var version = ReadmeVersion("dotnet add package DataAccessAudit --version ");
        Assert.Equal(packed.Version, version);
        await Commands.RunOrFail(app, packed.OutsideEnvironment, CommandTimeout, "dotnet", "add", "MyApp.csproj", "package", "DataAccessAudit", "--version", version, "--no-restore");
        await Commands.RunOrFail(app, packed.OutsideEnvironment, CommandTimeout, "dotnet", "build", "MyApp.csproj", "-c", "Release", "-nodeReuse:false", "-p:UseAppHost=false");
        var tools = Path.Combine(packed.Root, "tools");
        Assert.Equal(packed.Version, ReadmeVersion("dotnet tool install --global DataAccessAudit.ReportGenerator --version "));
        await Commands.RunOrFail(app, packed.OutsideEnvironment, CommandTimeout, "dotnet", "tool", "install", "DataAccessAudit.ReportGenerator", "--version", version, "--tool-path", tools, "--configfile", Path.Combine(app, "nuget.config"));

        var environment = new Dictionary<string, string>(packed.OutsideEnvironment)
        {
            ["PATH"] = tools + Path.PathSeparator + Commands.DotnetRoot + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        await Commands.RunOrFail(app, environment, CommandTimeout, "bash", "-eo", "pipefail", "-c", Readme.Block(ReadmePath, "sh before-run"));

        using (var running = await RunningApp.Start(app, Path.Combine(app, "bin", "Release", "net10.0", "MyApp.dll"), cancellation))
        {
            using var client = new HttpClient { BaseAddress = running.Address };

            using var allowed = await client.GetAsync("/users/8812/messages?from=US", cancellation);
            using var refused = await client.GetAsync("/users/8812/messages?from=CN", cancellation);
            using var health = await client.GetAsync("/health", cancellation);

            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(cancellation));
            Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("denied", problem.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(
                ["country-of-concern-access", "cross-border-protected-access"],
                problem.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(cancellation));

            Assert.Equal(0, await running.Stop());
        }

        // `bash -e`: the block passes only if verify says the chain is verified with the key (exit 0) and report writes
        // its files.
        await Commands.RunOrFail(app, environment, CommandTimeout, "bash", "-eo", "pipefail", "-c", Readme.Block(ReadmePath, "sh after-run"));

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "report", "report.json")));
        var totals = report.RootElement.GetProperty("totals");
        Assert.Equal(2, totals.GetProperty("events").GetInt64());
        Assert.Equal(1, totals.GetProperty("denied").GetInt64());
        Assert.Equal("verified", report.RootElement.GetProperty("integrity").GetProperty("status").GetString());
    }

    [Fact]
    public async Task CloneUnderASrcFolder_TestsAndSamplesStayApplications_AndTheLibrariesPack()
    {
        Assert.Contains($"{Path.DirectorySeparatorChar}src{Path.DirectorySeparatorChar}", packed.Clone, StringComparison.Ordinal);
        Assert.Contains("DataAccessAudit", packed.PackageFiles.Keys);
        Assert.Contains("DataAccessAudit.ReportGenerator", packed.PackageFiles.Keys);

        var projects = Directory.EnumerateFiles(Path.Combine(packed.Clone, "tests"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(packed.Clone, "samples"), "*.csproj", SearchOption.AllDirectories))
            .ToList();
        var evaluations = await Task.WhenAll(projects.Select(project => Commands.RunOrFail(
            packed.Clone, null, CommandTimeout, "dotnet", "msbuild", project, "-getProperty:TargetFramework", "-getProperty:TargetFrameworks", "-getProperty:IsLibraryProject")));

        for (var i = 0; i < projects.Count; i++)
        {
            using var json = JsonDocument.Parse(evaluations[i]);
            var properties = json.RootElement.GetProperty("Properties");
            var name = Path.GetRelativePath(packed.Clone, projects[i]);
            Assert.True(properties.GetProperty("IsLibraryProject").GetString() == "False", $"{name}: {evaluations[i]}");
            if (MultiTargetedTests.Contains(name.Replace('\\', '/')))
            {
                // Set in the project itself, to run its tests against the libraries' net8.0 builds as well.
                Assert.True(properties.GetProperty("TargetFramework").GetString() is null or "", $"{name}: {evaluations[i]}");
                Assert.True(properties.GetProperty("TargetFrameworks").GetString() == "net10.0;net8.0", $"{name}: {evaluations[i]}");
            }
            else
            {
                Assert.True(properties.GetProperty("TargetFramework").GetString() == "net10.0", $"{name}: {evaluations[i]}");
                Assert.True(properties.GetProperty("TargetFrameworks").GetString() is null or "", $"{name}: {evaluations[i]}");
            }
        }
    }

    private static string ReadmeVersion(string command)
    {
        var line = File.ReadLines(ReadmePath).Single(line => line.StartsWith(command, StringComparison.Ordinal));
        return line[command.Length..].Split(' ')[0];
    }

    // `dotnet new web`, or where the SDK's templates are not installed, the three files it would write.
    private static async Task CreateWebApp(string directory)
    {
        var (exitCode, _) = await Commands.Run(
            Path.GetDirectoryName(directory)!, null, CommandTimeout, "dotnet", "new", "web", "-o", directory, "-n", "MyApp", "--no-restore", "--no-update-check");
        if (exitCode == 0)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "MyApp.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), "var app = WebApplication.CreateBuilder(args).Build();\napp.Run();\n");
        File.WriteAllText(Path.Combine(directory, "appsettings.json"), "{}\n");
    }

    // The web app, started as `dotnet MyApp.dll` on a port the OS picks on the loopback interface.
    private sealed partial class RunningApp : IDisposable
    {
        private readonly Process _process;

        private RunningApp(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<RunningApp> Start(string directory, string assembly, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo("dotnet", [assembly, "--urls", "http://127.0.0.1:0"])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Commands.Configure(start, null);
            var process = Process.Start(start)!;
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, line) => Read(line.Data);
            process.ErrorDataReceived += (_, line) => Read(line.Data);
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The app exited with {process.ExitCode} before listening:\n{output}"));
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromMinutes(5));
                return new RunningApp(process, await listening.Task.WaitAsync(timeout.Token));
            }
            catch
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
                throw;
            }

            void Read(string? line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }

                if (line is not null && Listening().Match(line) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups["address"].Value));
                }
            }
        }

        /// <summary>Stops the app as `kill` (SIGTERM) would, so the host shuts down and the log writes what it holds.</summary>
        public async Task<int> Stop()
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
        private static partial Regex Listening();
    }
}
