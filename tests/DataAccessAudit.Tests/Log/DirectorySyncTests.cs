using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

public sealed class DirectorySyncTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("directory-sync-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Create_NestedMissingDirectories_SyncsTheParentOfEachCreated_InnermostFirst_AndNothingElse(bool ownerOnly)
    {
        var synced = new List<string>();
        var directory = Path.Combine(_root, "a", "b", "c");

        DirectorySync.Create(directory, synced.Add, ownerOnly);
        DirectorySync.Create(directory, synced.Add, ownerOnly);

        Assert.True(Directory.Exists(directory));
        Assert.Equal([Path.Combine(_root, "a", "b"), Path.Combine(_root, "a"), _root], synced);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Create_OwnerOnly_MakesEachDirectoryCreatedTheOwnersAlone_AndLeavesAnExistingOneAsItIs()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has access lists, not modes");
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var existing = Path.Combine(_root, "shared");
        Directory.CreateDirectory(existing, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        DirectorySync.Create(Path.Combine(existing, "log", "eu"), _ => { }, ownerOnly: true);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(existing, "log")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(existing, "log", "eu")));
        Assert.Equal(OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(existing));
    }
}
