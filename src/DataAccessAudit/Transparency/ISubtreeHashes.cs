namespace DataAccessAudit.Transparency;

// Where the hashes of a tree's complete subtrees are kept: the hash of leaves [index * 2^level, (index + 1) * 2^level),
// which must all exist. Proofs are built from these alone, so no proof needs the leaves themselves.
internal interface ISubtreeHashes
{
    void Read(int level, long index, Span<byte> destination);
}
