namespace DataAccessAudit.Repository.Tests;

// Where the repository under test is: the folder holding Audit.sln above the test binaries.
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    // The project's shared specification, which sits beside a clone (../shared/spec) on developers' machines and in
    // CI; null in a clone on its own.
    public static string? SharedSpec()
    {
        var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", "shared", "spec"));
        return Directory.Exists(shared) ? shared : null;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Audit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Audit.sln not found above " + AppContext.BaseDirectory);
    }
}
