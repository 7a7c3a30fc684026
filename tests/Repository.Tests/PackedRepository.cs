using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace DataAccessAudit.Repository.Tests;

/// <summary>
/// A copy of the repository placed under a folder named <c>src</c> (as in <c>~/src/data-access-audit</c>), with every
/// package packed from it into a local feed, as a newcomer would get them before they are published.
/// </summary>
/// <remarks>
/// Packing builds the libraries for every target framework and the tool in Release from the copy, so a build setting
/// that depends on where the clone sits fails here. Restores need nothing from the network: the feed, and the
/// packages the repository's own restore left in the global packages folder.
/// </remarks>
public sealed class PackedRepository : IAsyncLifetime
{
    // Two to three minutes on two idle cores; the limit only stops a hung build, so it allows for a machine shared with other builds.
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(30);

    public string Root { get; } = Directory.CreateTempSubdirectory("data-access-audit-newcomer-").FullName;

    /// <summary>Gets the copy of the repository, under <c>ROOT/src/</c>.</summary>
    public string Clone => Path.Combine(Root, "src", "data-access-audit");

    /// <summary>Gets the local feed the packages were packed into.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>Gets the packages folder restores outside the repository use, so the feed's packages never mix with the machine's cache.</summary>
    public string Packages => Path.Combine(Root, "packages");

    /// <summary>Gets the machine's global packages folder, which the repository's restore filled; a source for restores here.</summary>
    public static string GlobalPackages { get; } =
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Gets the version of the packed packages.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>Gets the package files by id.</summary>
    public IReadOnlyDictionary<string, string> PackageFiles { get; private set; } = new Dictionary<string, string>();

    /// <summary>Gets the environment every command outside the repository runs with.</summary>
    public IReadOnlyDictionary<string, string> OutsideEnvironment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Packages };

    /// <summary>Gets the package projects of the repository, relative to its root.</summary>
    public IReadOnlyList<string> PackageProjects { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        CopyRepository(RepositoryFiles.Root, Clone);
        Directory.CreateDirectory(Feed);

        PackageProjects =
        [
            .. Directory.EnumerateFiles(Path.Combine(Clone, "src"), "*.csproj", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(Path.Combine(Clone, "samples"), "*.csproj", SearchOption.AllDirectories))
                .Select(project => Path.GetRelativePath(Clone, project).Replace('\\', '/'))
                .Where(project => project.StartsWith("src/", StringComparison.Ordinal) || IsPackableSample(project))
                .Order(StringComparer.Ordinal),
        ];

        // One build of every package project, in parallel, through a solution filter of the repository's solution.
        var filter = Path.Combine(Clone, "packages.slnf");
        await File.WriteAllTextAsync(filter, JsonSerializer.Serialize(new
        {
            solution = new { path = "Audit.sln", projects = PackageProjects.Select(project => project.Replace('/', '\\')).ToArray() },
        }));
        await Commands.RunOrFail(
            Clone, null, PackTimeout, "dotnet", "pack", filter, "-c", "Release", $"-p:PackageOutputPath={Feed}", "-nodeReuse:false");

        var packages = Directory.GetFiles(Feed, "*.nupkg")
            .Select(file => (File: file, Name: Path.GetFileNameWithoutExtension(file)))
            .ToList();
        Assert.NotEmpty(packages);
        var version = packages.Single(package => package.Name.StartsWith("DataAccessAudit.", StringComparison.Ordinal) && char.IsAsciiDigit(package.Name["DataAccessAudit.".Length]));
        Version = version.Name["DataAccessAudit.".Length..];
        PackageFiles = packages.ToDictionary(package => package.Name[..^(Version.Length + 1)], package => package.File);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temporary folder is the system's to clean.
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes a NuGet configuration whose sources are the feed and the global packages folder only.</summary>
    public void WriteNuGetConfig(string directory) =>
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local-feed" value="{Feed}" />
                <add key="global-packages" value="{GlobalPackages}" />
              </packageSources>
            </configuration>
            """);

    /// <summary>Reads one entry of a package.</summary>
    public string? ReadEntry(string packageId, string entry)
    {
        using var archive = ZipFile.OpenRead(PackageFiles[packageId]);
        using var reader = archive.GetEntry(entry) is { } found ? new StreamReader(found.Open()) : null;
        return reader?.ReadToEnd();
    }

    /// <summary>Lists the entries of a package.</summary>
    public IReadOnlyList<string> Entries(string packageId)
    {
        using var archive = ZipFile.OpenRead(PackageFiles[packageId]);
        return [.. archive.Entries.Select(entry => entry.FullName)];
    }

    private static bool IsPackableSample(string project) =>
        File.ReadAllText(Path.Combine(RepositoryFiles.Root, project)).Contains("<IsPackable>true</IsPackable>", StringComparison.Ordinal);

    // The files a fresh clone has: what git tracks plus what is not ignored yet (a change being made), never bin/obj.
    private static void CopyRepository(string source, string destination)
    {
        foreach (var relative in RepositoryFileList(source))
        {
            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(source, relative), target);
        }
    }

    private static IEnumerable<string> RepositoryFileList(string source)
    {
        var start = new ProcessStartInfo("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        {
            WorkingDirectory = source,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, "git ls-files failed in " + source + ": " + git.StandardError.ReadToEnd());
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(file => File.Exists(Path.Combine(source, file)));
    }
}
