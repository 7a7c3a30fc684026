using DataAccessAudit.Transparency;

namespace DataAccessAudit.Tests.Transparency;

public sealed class TileStoreTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tiles-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData(0, 1234067L, 256, "tile/0/x001/x234/067")]
    [InlineData(3, 5L, 256, "tile/3/005")]
    [InlineData(1, 1234067L, 17, "tile/1/x001/x234/067.p/17")]
    [InlineData(2, 1000L, 256, "tile/2/x001/000")]
    [InlineData(0, 0L, 1, "tile/0/000.p/1")]
    public void TilePath_IsTheC2spLayout(int level, long index, int width, string expected) =>
        Assert.Equal(expected, TilePath.Relative(level, index, width));

    // c2sp.org/tlog-tiles: "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
    // tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one partial level 2 tile of width 1".
    [Fact]
    public void Store_TreeOf70000_HasTheTilesTheSpecificationLists()
    {
        var store = TileStore.Open(_directory.FullName, 0);
        for (var i = 0; i < 70_000; i++)
        {
            store.Append(MerkleHash.Leaf(BitConverter.GetBytes(i)));
        }

        store.Commit();

        var files = Directory.GetFiles(_directory.FullName, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_directory.FullName, f).Replace('\\', '/')).ToList();
        var level0 = files.Where(f => f.StartsWith("tile/0/", StringComparison.Ordinal)).ToList();
        Assert.Equal(273, level0.Count(f => !f.Contains(".p/", StringComparison.Ordinal)));
        Assert.Equal(["tile/0/273.p/112"], level0.Where(f => f.Contains(".p/", StringComparison.Ordinal)));
        Assert.Equal(["tile/1/000", "tile/1/001.p/17"], files.Where(f => f.StartsWith("tile/1/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(["tile/2/000.p/1"], files.Where(f => f.StartsWith("tile/2/", StringComparison.Ordinal)));
        Assert.Equal(273 + 4, files.Count);
        Assert.All(files.Where(f => !f.Contains(".p/", StringComparison.Ordinal)), f => Assert.Equal(8192, new FileInfo(Path.Combine(_directory.FullName, f)).Length));
    }

    [Fact]
    public void Store_ReopenedAtAnyWrittenSize_GivesTheRfc9162ProofsOfThatSize()
    {
        var leaves = Enumerable.Range(0, 1300).Select(i => BitConverter.GetBytes(i * 31)).ToArray();
        var memory = new MemorySubtreeHashes(leaves);
        var store = TileStore.Open(_directory.FullName, 0);
        var sizes = new[] { 1, 2, 255, 256, 257, 511, 512, 600, 1024, 1299, 1300 };
        var n = 0;
        foreach (var size in sizes)
        {
            while (n < size)
            {
                store.Append(MerkleHash.Leaf(leaves[n++]));
            }

            store.Commit();
        }

        foreach (var size in sizes)
        {
            var reopened = TileStore.Open(_directory.FullName, size);
            Assert.Equal(ReferenceMerkleTree.Mth(leaves, 0, size), MerkleProofs.Root(reopened, size));
            foreach (var m in new[] { 0, size / 3, size - 1 })
            {
                Assert.True(MerkleProofs.Inclusion(reopened, m, size).SequenceEqual(MerkleProofs.Inclusion(memory, m, size), ByteArrays.Comparer));
            }

            foreach (var older in sizes.Where(s => s <= size))
            {
                Assert.True(MerkleProofs.Consistency(reopened, older, size).SequenceEqual(MerkleProofs.Consistency(memory, older, size), ByteArrays.Comparer));
            }
        }

        // Appending on from a reopened store continues the same tree.
        var continued = TileStore.Open(_directory.FullName, 600);
        for (var i = 600; i < 1300; i++)
        {
            continued.Append(MerkleHash.Leaf(leaves[i]));
        }

        Assert.Equal(ReferenceMerkleTree.Mth(leaves, 0, 1300), MerkleProofs.Root(continued, 1300));
    }

    // A tree of 70,000 has full tiles at levels 0 and 1; the root reads neither 0/100 nor 1/000, only what they fold to.
    [Theory]
    [InlineData(null)]
    [InlineData("tile/0/100")]
    [InlineData("tile/1/000")]
    public void FirstInconsistentTile_OneFullTileChanged_IsThatTile(string? changed)
    {
        var store = TileStore.Open(_directory.FullName, 0);
        for (var i = 0; i < 70_000; i++)
        {
            store.Append(MerkleHash.Leaf(BitConverter.GetBytes(i)));
        }

        store.Commit();
        var root = MerkleProofs.Root(store, 70_000);
        if (changed is not null)
        {
            using var file = File.OpenWrite(Path.Combine(_directory.FullName, changed));
            file.Position = 255 * MerkleHash.Size;
            file.Write("XXXX"u8);
        }

        var reopened = TileStore.Open(_directory.FullName, 70_000);

        Assert.Equal(root, MerkleProofs.Root(reopened, 70_000));
        Assert.Equal(changed, reopened.FirstInconsistentTile(TestContext.Current.CancellationToken));
    }

    // The tiles of one extension are made durable together: each tile directory is synced once, after all its tiles
    // were renamed into it (not once a tile, which cost a 1 M-record tree two waits on the device for each of its
    // 3,925 tiles), and the partial tiles a full one replaces are removed only after it is on disk. The directories
    // created for them (tile/2/ and tile/2/000.p/, besides tile/0/273.p/ and tile/1/001.p/ in directories synced
    // anyway) are made durable in their parents, tile/ and tile/2/.
    [Fact]
    public void Commit_TreeOf70000_SyncsEachTileDirectoryOnce_AfterItsTilesAreInPlace()
    {
        var store = TileStore.Open(_directory.FullName, 0);
        for (var i = 0; i < 300; i++)
        {
            store.Append(MerkleHash.Leaf(BitConverter.GetBytes(i)));
        }

        store.Commit();
        var synced = new List<(string Directory, int Tiles, int Temporaries, bool Partial)>();
        store.SyncDirectory = d => synced.Add((
            Path.GetRelativePath(_directory.FullName, d).Replace('\\', '/'),
            Directory.GetFiles(d).Count(f => !f.EndsWith(".tmp", StringComparison.Ordinal)),
            Directory.GetFiles(d, "*.tmp").Length,
            Directory.Exists(Path.Combine(_directory.FullName, "tile", "0", "001.p"))));
        for (var i = 300; i < 70_000; i++)
        {
            store.Append(MerkleHash.Leaf(BitConverter.GetBytes(i)));
        }

        store.Commit();

        Assert.Equal(
            [("tile/0", 273, 0, true), ("tile/1", 1, 0, true), ("tile/0/273.p", 1, 0, true), ("tile/1/001.p", 1, 0, true), ("tile/2/000.p", 1, 0, true), ("tile/2", 0, 0, true), ("tile", 0, 0, true)],
            synced);
        Assert.False(Directory.Exists(Path.Combine(_directory.FullName, "tile", "0", "001.p")));
    }

    // An extension that fails before its Commit (records cut from the log's end, a read error) leaves the tiles of the
    // last commit as they were, partial tiles included, and no temporary file; its tiles read back until then.
    [Fact]
    public void Dispose_BeforeCommit_LeavesTheCommittedTilesAsTheyWere_AndNoTemporaryFile()
    {
        var leaves = Enumerable.Range(0, 1000).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToArray();
        var store = TileStore.Open(_directory.FullName, 0);
        foreach (var leaf in leaves[..300])
        {
            store.Append(leaf);
        }

        store.Commit();
        string[] Files() => [.. Directory.GetFiles(_directory.FullName, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_directory.FullName, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];
        var committed = Files();

        using (var extended = TileStore.Open(_directory.FullName, 300))
        {
            foreach (var leaf in leaves[300..])
            {
                extended.Append(leaf);
            }

            var hash = new byte[MerkleHash.Size];
            extended.Read(0, 700, hash);
            Assert.Equal(leaves[700], hash);
        }

        Assert.Equal(["tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1"], committed);
        Assert.Equal(committed, Files());
        Assert.Equal(ReferenceMerkleTree.Mth([.. Enumerable.Range(0, 300).Select(BitConverter.GetBytes)], 0, 300), MerkleProofs.Root(TileStore.Open(_directory.FullName, 300), 300));
    }

    // A tile whose flush to disk fails (an I/O error of the device) fails the commit before any tile is renamed: the
    // error names the tile, and the tiles of the last commit are as they were, with no temporary file and none of the
    // directories created for the new tiles, so that the commit tried again creates tile/1/ and tile/1/000.p/ anew
    // and makes them durable in their parents.
    [Fact]
    public void Commit_AFailedFlushOfATile_ThrowsNamingIt_AndLeavesTheCommittedTilesAsTheyWere()
    {
        var leaves = Enumerable.Range(0, 300).Select(i => BitConverter.GetBytes(i)).ToArray();
        Commit(TileStore.Open(_directory.FullName, 0), leaves[..100]);
        var committed = Entries();

        using (var extended = TileStore.Open(_directory.FullName, 100))
        {
            extended.FlushFile = temporary =>
            {
                if (Path.GetFileName(temporary).StartsWith(".1.", StringComparison.Ordinal))
                {
                    throw new IOException($"Input/output error writing '{temporary}'.");
                }
            };

            var exception = Assert.ThrowsAny<IOException>(() => Commit(extended, leaves[100..]));

            Assert.Contains(Path.Combine(_directory.FullName, "tile", "1", "000.p", "1"), exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(".tmp", exception.Message, StringComparison.Ordinal);
        }

        Assert.Equal(["tile", "tile/0", "tile/0/000.p", "tile/0/000.p/100"], committed);
        Assert.Equal(committed, Entries());
        Assert.Equal(ReferenceMerkleTree.Mth(leaves, 0, 100), MerkleProofs.Root(TileStore.Open(_directory.FullName, 100), 100));

        var synced = new List<string>();
        var retried = TileStore.Open(_directory.FullName, 100);
        retried.SyncDirectory = d => synced.Add(Path.GetRelativePath(_directory.FullName, d).Replace('\\', '/'));
        Commit(retried, leaves[100..]);

        Assert.Equal(["tile", "tile/0", "tile/0/001.p", "tile/1", "tile/1/000.p"], synced.Order(StringComparer.Ordinal));
        Assert.Equal(ReferenceMerkleTree.Mth(leaves, 0, 300), MerkleProofs.Root(TileStore.Open(_directory.FullName, 300), 300));
    }

    // A tile directory whose sync fails, after the tiles were renamed into place, fails the commit with that error;
    // no temporary file is left, and the tiles of the last commit still give its tree (the partial tile a new full one
    // replaces is kept, as the full tile is not known to be on disk), so that its checkpoint still verifies and the
    // commit can be tried again.
    [Fact]
    public void Commit_AFailedSyncOfATileDirectory_ThrowsIt_AndKeepsTheCommittedTree()
    {
        var leaves = Enumerable.Range(0, 300).Select(i => BitConverter.GetBytes(i)).ToArray();
        Commit(TileStore.Open(_directory.FullName, 0), leaves[..100]);
        var failing = Path.Combine(_directory.FullName, "tile", "1", "000.p");

        using (var extended = TileStore.Open(_directory.FullName, 100))
        {
            extended.SyncDirectory = d =>
            {
                if (d == failing)
                {
                    throw new IOException($"The audit log directory '{d}' could not be synced (errno 5).");
                }
            };

            var exception = Assert.ThrowsAny<IOException>(() => Commit(extended, leaves[100..]));

            Assert.Contains(failing, exception.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Entries(), e => e.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Contains("tile/0/000.p/100", Entries());
        Assert.Equal(ReferenceMerkleTree.Mth(leaves, 0, 100), MerkleProofs.Root(TileStore.Open(_directory.FullName, 100), 100));

        var retried = TileStore.Open(_directory.FullName, 100);
        retried.SyncDirectory = _ => { };
        Commit(retried, leaves[100..]);

        Assert.Equal(ReferenceMerkleTree.Mth(leaves, 0, 300), MerkleProofs.Root(TileStore.Open(_directory.FullName, 300), 300));
    }

    private static void Commit(TileStore store, byte[][] leaves)
    {
        foreach (var leaf in leaves)
        {
            store.Append(MerkleHash.Leaf(leaf));
        }

        store.Commit();
    }

    // The files and directories under the tree, by their paths in it.
    private string[] Entries() =>
        [.. Directory.GetFileSystemEntries(_directory.FullName, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_directory.FullName, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    [Fact]
    public void Store_MissingTile_IsAClearError()
    {
        var store = TileStore.Open(_directory.FullName, 0);
        store.Append(MerkleHash.Leaf([1]));

        var exception = Assert.Throws<InvalidDataException>(() => TileStore.Open(_directory.FullName, 1));

        Assert.Contains("tile/0/000", exception.Message, StringComparison.Ordinal);
    }
}
