namespace DataAccessAudit.Log;

// The hashers one thread uses to check links: one per key id, and one without a key. Not thread-safe.
internal sealed class ChainHasherSet : IDisposable
{
    private readonly Dictionary<string, ChainHasher> _keyed = new(StringComparer.Ordinal);
    private ChainHasher? _unkeyed;

    // The hasher a segment's records are chained with (chain.Checked is true).
    public ChainHasher For(SegmentChain chain)
    {
        if (chain.KeyId is null)
        {
            return _unkeyed ??= ChainHasher.Unkeyed();
        }

        if (!_keyed.TryGetValue(chain.KeyId, out var hasher))
        {
            hasher = ChainHasher.Keyed(chain.KeyId, chain.Key);
            _keyed.Add(chain.KeyId, hasher);
        }

        return hasher;
    }

    public void Dispose()
    {
        _unkeyed?.Dispose();
        foreach (var hasher in _keyed.Values)
        {
            hasher.Dispose();
        }
    }
}
