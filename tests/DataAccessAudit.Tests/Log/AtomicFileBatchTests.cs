using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

public sealed class AtomicFileBatchTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("atomic-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string In(params string[] parts) => Path.Combine([_directory.FullName, .. parts]);

    private static string[] Temporaries(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "*.tmp", SearchOption.AllDirectories) : [];

    // Each directory is synced once, after every file of the batch in it was renamed into place: one sync makes all
    // its renames durable.
    [Fact]
    public void Commit_FilesInTwoDirectories_SyncsEachDirectoryOnce_AfterAllItsFilesAreInPlace()
    {
        Directory.CreateDirectory(In("a"));
        File.WriteAllText(In("a", "1"), "old");
        var synced = new List<(string Directory, string[] Files, string[] Temporaries)>();
        using var batch = new AtomicFileBatch(ownerOnly: false)
        {
            SyncDirectory = d => synced.Add((d, [.. Directory.GetFiles(d).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)).Select(f => File.ReadAllText(f)).Order(StringComparer.Ordinal)], Temporaries(d))),
        };

        foreach (var (directory, name) in new[] { ("a", "1"), ("b", "1"), ("a", "2"), ("a", "3"), ("b", "2") })
        {
            batch.Add(In(directory, name), System.Text.Encoding.UTF8.GetBytes(directory + name));
        }

        Assert.Equal("old", File.ReadAllText(In("a", "1")));
        Assert.False(File.Exists(In("b", "1")));
        batch.Commit();

        Assert.Equal([In("a"), In("b"), _directory.FullName], synced.Select(s => s.Directory));
        Assert.Equal(["a1", "a2", "a3"], synced[0].Files);
        Assert.Equal(["b1", "b2"], synced[1].Files);
        Assert.All(synced, s => Assert.Empty(s.Temporaries));
        Assert.Equal("a1", File.ReadAllText(In("a", "1")));
    }

    // A directory created for a target is an entry of its parent, which a power loss takes back, with the target in
    // it, unless the parent is synced too: the parent of each directory created is synced once, up to the first
    // directory that existed, whose own parent is not.
    [Fact]
    public void Commit_TargetsInNewNestedDirectories_SyncsTheParentOfEachDirectoryCreated_Once()
    {
        Directory.CreateDirectory(In("tile"));
        var synced = new List<string>();
        using var batch = new AtomicFileBatch(ownerOnly: false) { SyncDirectory = synced.Add };
        batch.Add(In("tile", "0", "x001", "000"), "1"u8);
        batch.Add(In("tile", "0", "x001", "001"), "2"u8);
        batch.Add(In("tile", "0", "002"), "3"u8);
        batch.Add(In("tile", "1", "000"), "4"u8);

        batch.Commit();

        Assert.Equal(
            new[] { In("tile", "0", "x001"), In("tile", "0"), In("tile", "1"), In("tile") }.Order(StringComparer.Ordinal),
            synced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesEveryTargetAsItWas_AndNoTemporaryFile()
    {
        File.WriteAllText(In("kept"), "old");
        using (var batch = new AtomicFileBatch(ownerOnly: false))
        {
            batch.Add(In("kept"), "new"u8);
            batch.Add(In("sub", "new"), stream => stream.Write("new"u8));
            Assert.Equal(2, Temporaries(_directory.FullName).Length);
        }

        Assert.Equal("old", File.ReadAllText(In("kept")));
        Assert.False(File.Exists(In("sub", "new")));
        Assert.Empty(Temporaries(_directory.FullName));
        Assert.False(Directory.Exists(In("sub")));
    }

    // A file whose flush to disk fails (an I/O error of the device) fails the commit before any rename: every target
    // is as it was, the error names the target rather than its temporary file, no temporary file is left, nothing is
    // synced, and the directories created for the batch are removed, so that the next batch creates them again and
    // syncs their parents rather than finding them and taking them for durable.
    [Fact]
    public void Commit_AFlushThatFails_ThrowsNamingTheTarget_AndLeavesTheDirectoryAsItWas()
    {
        File.WriteAllText(In("kept"), "old");
        Directory.CreateDirectory(In("tile"));
        var failing = In("tile", "0", "x001", "000");
        var synced = new List<string>();
        using var batch = new AtomicFileBatch(ownerOnly: false)
        {
            SyncDirectory = synced.Add,
            FlushFile = temporary =>
            {
                if (Path.GetFileName(temporary).StartsWith(".000.", StringComparison.Ordinal))
                {
                    throw new IOException($"Input/output error writing '{temporary}'.");
                }
            },
        };
        batch.Add(In("kept"), "new"u8);
        batch.Add(failing, "1"u8);

        var exception = Assert.ThrowsAny<IOException>(batch.Commit);

        Assert.Contains(failing, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", exception.Message, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(In("kept")));
        Assert.Empty(Temporaries(_directory.FullName));
        Assert.Empty(synced);
        Assert.Equal([In("tile")], Directory.GetDirectories(_directory.FullName, "*", SearchOption.AllDirectories));
    }

    // A target that cannot be replaced (a directory in its place) fails the commit part-way through the renames:
    // the error names the target, not a temporary file, no temporary file is left, and no directory was synced as if
    // the batch were durable.
    [Fact]
    public void Commit_ATargetThatCannotBeReplaced_ThrowsNamingIt_AndLeavesNoTemporaryFile()
    {
        Directory.CreateDirectory(In("blocked"));
        File.WriteAllText(In("blocked", "inside"), string.Empty);
        var synced = new List<string>();
        using var batch = new AtomicFileBatch(ownerOnly: false) { SyncDirectory = synced.Add };
        batch.Add(In("first"), "1"u8);
        batch.Add(In("blocked"), "2"u8);
        batch.Add(In("last"), "3"u8);

        var exception = Assert.ThrowsAny<IOException>(batch.Commit);

        Assert.DoesNotContain(".tmp", exception.Message, StringComparison.Ordinal);
        Assert.Empty(Temporaries(_directory.FullName));
        Assert.False(File.Exists(In("last")));
        Assert.Empty(synced);
    }
}
