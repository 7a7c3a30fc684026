using DataAccessAudit.Log;

namespace DataAccessAudit.Transparency;

// A Merkle tree kept as C2SP tlog-tiles under a directory: tile/<L>/<N> holds 256 consecutive hashes of level 8 * L
// (the leaf hashes for L = 0), tile/<L>/<N>.p/<W> the first W of a tile not yet full. Any complete subtree's hash is
// read from one tile (folding at most 255 hashes), so a proof reads O(log n) small files and never the records.
// Appending writes a full tile once, when it fills, and Commit the partial tiles (before a checkpoint is signed); the
// tiles written since the last Commit become durable together in it.
internal sealed class TileStore : ISubtreeHashes, IDisposable
{
    private const int TileBytes = TilePath.Width * MerkleHash.Size;

    private readonly string _root;
    private readonly Dictionary<(int Level, long Index), byte[]> _cache = [];

    // The hashes of the right-most, not yet full tile of each level, as appended.
    private readonly List<byte[]> _open = [];

    // The tiles written since the last Commit, in temporary files until it, and the full ones among them by the
    // temporary file holding them (to read them back before Commit).
    private AtomicFileBatch? _written;
    private readonly Dictionary<(int Level, long Index), string> _full = [];

    private TileStore(string root, long size)
    {
        _root = root;
        Size = size;
    }

    public long Size { get; private set; }

    public string Root => _root;

    // Makes a directory's entries durable once its tiles are renamed into it; tests observe it.
    internal Action<string> SyncDirectory { get; set; } = DirectorySync.Flush;

    // Flushes a tile's temporary file to disk; tests make it fail.
    internal Action<string> FlushFile { get; set; } = AtomicFileBatch.FlushToDisk;

    // A store of a tree of the given size whose tiles are on disk (size 0: a new tree).
    public static TileStore Open(string root, long size)
    {
        var store = new TileStore(root, size);
        for (var level = 0; size >> (TilePath.Height * level) > 0; level++)
        {
            var count = (int)((size >> (TilePath.Height * level)) % TilePath.Width);
            var buffer = new byte[TileBytes];
            if (count > 0)
            {
                var tile = store.ReadTile(level, (size >> (TilePath.Height * level)) / TilePath.Width, count);
                tile.AsSpan(0, count * MerkleHash.Size).CopyTo(buffer);
            }

            store._open.Add(buffer);
        }

        return store;
    }

    public void Append(ReadOnlySpan<byte> leafHash)
    {
        Span<byte> hash = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(hash);
        var index = Size;
        for (var level = 0; ; level++)
        {
            if (_open.Count == level)
            {
                _open.Add(new byte[TileBytes]);
            }

            var position = (int)(index % TilePath.Width);
            var buffer = _open[level];
            hash.CopyTo(buffer.AsSpan(position * MerkleHash.Size));
            if (position != TilePath.Width - 1)
            {
                break;
            }

            var tileIndex = index / TilePath.Width;
            WriteTile(level, tileIndex, buffer, TilePath.Width);
            Fold(buffer, TilePath.Width, hash);
            index = tileIndex;
        }

        Size++;
    }

    // Writes the partial tiles of the current size and makes them and every full tile written since the last Commit
    // durable, so that every hash of the tree at this size can be read back, after a power loss too: each tile to its
    // file, then each directory synced once (a signed checkpoint must never cover a tile that is not on disk).
    public void Commit()
    {
        for (var level = 0; level < _open.Count; level++)
        {
            var count = (int)((Size >> (TilePath.Height * level)) % TilePath.Width);
            if (count > 0)
            {
                WriteTile(level, (Size >> (TilePath.Height * level)) / TilePath.Width, _open[level], count);
            }
        }

        if (_written is null)
        {
            return;
        }

        var full = _full.Keys.ToList();
        _full.Clear();
        using (var written = _written)
        {
            _written = null;
            written.Commit();
        }

        foreach (var (level, index) in full)
        {
            // A full tile replaces its partial versions, once it is on disk: until then they hold the hashes of the
            // last checkpoint's tree.
            var partials = Path.Combine(_root, TilePath.Relative(level, index, TilePath.Width)) + ".p";
            if (Directory.Exists(partials))
            {
                Directory.Delete(partials, recursive: true);
            }
        }
    }

    // Deletes the tiles written since the last Commit: an extension that failed leaves the tiles as they were.
    public void Dispose()
    {
        _written?.Dispose();
        _written = null;
        _full.Clear();
    }

    public void Read(int level, long index, Span<byte> destination)
    {
        var tileLevel = level / TilePath.Height;
        var subLevel = level % TilePath.Height;
        var first = index << subLevel;          // the first hash, at level 8 * tileLevel, of the subtree
        var count = 1 << subLevel;
        var tileIndex = first / TilePath.Width;
        var offset = (int)(first % TilePath.Width);
        var tile = ReadTile(tileLevel, tileIndex, offset + count);
        Fold(tile.AsSpan(offset * MerkleHash.Size, count * MerkleHash.Size), count, destination);
    }

    // The first full tile, from the top level down, whose hashes do not fold to the hash that the level above holds
    // for it (its path under the tree, for a message), or null. Given that the tiles reproduce the root of the tree
    // (which reads every tile at the right edge), null means that every tile holds the hashes of that tree: a corrupt
    // tile inside the tree is otherwise found only by a proof that passes through it failing to verify.
    public string? FirstInconsistentTile(CancellationToken cancellationToken = default)
    {
        Span<byte> folded = stackalloc byte[MerkleHash.Size];
        Span<byte> above = stackalloc byte[MerkleHash.Size];
        for (var level = _open.Count - 2; level >= 0; level--)
        {
            var full = (Size >> (TilePath.Height * level)) / TilePath.Width;
            for (long index = 0; index < full; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Fold(ReadTile(level, index, TilePath.Width), TilePath.Width, folded);
                Read(TilePath.Height * (level + 1), index, above);
                if (!folded.SequenceEqual(above))
                {
                    return TilePath.Relative(level, index, TilePath.Width);
                }
            }
        }

        return null;
    }

    // The first `needed` hashes of tile (level, index): from the full tile, or else the widest partial one.
    private byte[] ReadTile(int level, long index, int needed)
    {
        var shift = TilePath.Height * level;
        if (level < _open.Count && index == (Size >> shift) / TilePath.Width && needed <= (Size >> shift) % TilePath.Width)
        {
            return _open[level]; // the tile being filled: its hashes are in memory, on disk only as of the last partials
        }

        if (_cache.TryGetValue((level, index), out var cached) && cached.Length >= needed * MerkleHash.Size)
        {
            return cached;
        }

        var full = Path.Combine(_root, TilePath.Relative(level, index, TilePath.Width));
        byte[]? bytes = null;
        if (_full.TryGetValue((level, index), out var written))
        {
            bytes = File.ReadAllBytes(written);
        }
        else if (File.Exists(full))
        {
            bytes = File.ReadAllBytes(full);
        }
        else if (Directory.Exists(full + ".p"))
        {
            var widest = Directory.EnumerateFiles(full + ".p")
                .Select(f => int.TryParse(Path.GetFileName(f), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var w) ? w : 0)
                .DefaultIfEmpty(0).Max();
            if (widest >= needed)
            {
                bytes = File.ReadAllBytes(Path.Combine(full + ".p", widest.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        if (bytes is null || bytes.Length < needed * MerkleHash.Size || bytes.Length % MerkleHash.Size != 0)
        {
            throw new InvalidDataException($"The tree's tile {TilePath.Relative(level, index, TilePath.Width)} under '{_root}' is missing or shorter than {needed} hashes.");
        }

        if (_cache.Count > 64)
        {
            _cache.Clear();
        }

        _cache[(level, index)] = bytes;
        return bytes;
    }

    private void WriteTile(int level, long index, byte[] hashes, int width)
    {
        var path = Path.Combine(_root, TilePath.Relative(level, index, width));
        // Written even when present: a tile left by records that a power loss took back must not survive. Written
        // whole and, by Commit, durably: once retention removed records, the tiles hold the only hashes of them, and a
        // checkpoint is signed over tiles that must still be there after a power loss.
        _written ??= new AtomicFileBatch(ownerOnly: false) { SyncDirectory = SyncDirectory, FlushFile = FlushFile };
        var temporary = _written.Add(path, hashes.AsSpan(0, width * MerkleHash.Size));
        _cache.Remove((level, index));
        if (width == TilePath.Width)
        {
            _full[(level, index)] = temporary;
        }
    }

    // The root of the perfect tree over `count` (a power of two) consecutive hashes.
    private static void Fold(ReadOnlySpan<byte> hashes, int count, Span<byte> destination)
    {
        if (count == 1)
        {
            hashes[..MerkleHash.Size].CopyTo(destination);
            return;
        }

        var work = new byte[count / 2 * MerkleHash.Size];
        for (var i = 0; i < count / 2; i++)
        {
            MerkleHash.Node(hashes.Slice(2 * i * MerkleHash.Size, MerkleHash.Size), hashes.Slice(((2 * i) + 1) * MerkleHash.Size, MerkleHash.Size), work.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
        }

        for (var n = count / 2; n > 1; n /= 2)
        {
            for (var i = 0; i < n / 2; i++)
            {
                MerkleHash.Node(work.AsSpan(2 * i * MerkleHash.Size, MerkleHash.Size), work.AsSpan(((2 * i) + 1) * MerkleHash.Size, MerkleHash.Size), work.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
            }
        }

        work.AsSpan(0, MerkleHash.Size).CopyTo(destination);
    }
}
