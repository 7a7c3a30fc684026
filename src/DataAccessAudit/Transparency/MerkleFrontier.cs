namespace DataAccessAudit.Transparency;

// The right edge of a growing tree: the hashes of the complete subtrees that the binary representation of its size
// decomposes it into, largest first. Appending a leaf merges equal-sized subtrees, so the frontier holds at most 64
// hashes and the root of the tree at its current size is a fold of them from the right.
internal sealed class MerkleFrontier
{
    private readonly List<byte[]> _hashes = new(64);
    private readonly List<int> _levels = new(64);

    public long Size { get; private set; }

    // Calls onComplete(level, index, hash) for every complete subtree the leaf completes (its own leaf hash at level 0
    // included): what a store of complete-subtree hashes keeps.
    public void Append(ReadOnlySpan<byte> leafHash, Action<int, long, byte[]>? onComplete = null)
    {
        var hash = leafHash.ToArray();
        var level = 0;
        var index = Size;
        onComplete?.Invoke(0, index, hash);
        while (_levels.Count > 0 && _levels[^1] == level)
        {
            hash = MerkleHash.Node(_hashes[^1], hash);
            _hashes.RemoveAt(_hashes.Count - 1);
            _levels.RemoveAt(_levels.Count - 1);
            level++;
            index >>= 1;
            onComplete?.Invoke(level, index, hash);
        }

        _hashes.Add(hash);
        _levels.Add(level);
        Size++;
    }

    // Appends a complete subtree of 2^level leaves at once; the size must be a multiple of 2^level.
    public void AppendSubtree(int level, ReadOnlySpan<byte> hash)
    {
        if (Size % (1L << level) != 0)
        {
            throw new InvalidOperationException($"A subtree of 2^{level} leaves cannot start at leaf {Size}.");
        }

        var added = 1L << level;
        var merged = hash.ToArray();
        while (_levels.Count > 0 && _levels[^1] == level)
        {
            merged = MerkleHash.Node(_hashes[^1], merged);
            _hashes.RemoveAt(_hashes.Count - 1);
            _levels.RemoveAt(_levels.Count - 1);
            level++;
        }

        _hashes.Add(merged);
        _levels.Add(level);
        Size += added;
    }

    public byte[] Root()
    {
        if (Size == 0)
        {
            return MerkleHash.Empty();
        }

        var root = (byte[])_hashes[^1].Clone();
        for (var i = _hashes.Count - 2; i >= 0; i--)
        {
            MerkleHash.Node(_hashes[i], root, root);
        }

        return root;
    }

    // The frontier of a tree of the given size, read from a store of its complete subtrees.
    public static MerkleFrontier Load(ISubtreeHashes hashes, long size)
    {
        var frontier = new MerkleFrontier { Size = size };
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((size & (1L << level)) == 0)
            {
                continue;
            }

            var hash = new byte[MerkleHash.Size];
            hashes.Read(level, start >> level, hash);
            frontier._hashes.Add(hash);
            frontier._levels.Add(level);
            start += 1L << level;
        }

        return frontier;
    }
}
