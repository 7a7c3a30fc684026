namespace DataAccessAudit.Repository.Tests;

// docs/spec is the repository's copy of the contracts promised to users; it must be the shared specification itself,
// byte for byte, so the docs never drift from the contract the code is tested against.
public sealed class SpecCopyTests
{
    private static readonly string[] Contracts =
    [
        "access-event-v1.md",
        "access-report-v1.md",
        "project-texas-policy.md",
        "vectors/project-texas-decisions.jsonl",
    ];

    [Fact]
    public void DocsSpec_HoldsEveryContract()
    {
        foreach (var contract in Contracts)
        {
            var path = RepositoryFiles.Path("docs", "spec", contract);
            Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"docs/spec/{contract} is missing or empty");
        }
    }

    [Fact]
    public void DocsSpec_IsByteIdenticalToSharedSpec_WhereTheSharedFolderExists()
    {
        var shared = RepositoryFiles.SharedSpec();
        var copy = RepositoryFiles.Path("docs", "spec");
        if (shared is null)
        {
            // A clone on its own still has its copy (checked above); developers' machines and CI have the folder.
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI runs with ../shared/spec beside the clone, and it is missing");
            return;
        }

        Assert.Equal(RelativeFiles(shared), RelativeFiles(copy));
        foreach (var file in RelativeFiles(shared))
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(shared, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(copy, file))),
                $"docs/spec/{file} differs from {Path.Combine(shared, file)}: copy the shared file over it");
        }
    }

    private static string[] RelativeFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
}
