using DataAccessAudit.BulkData;

namespace DataAccessAudit.Reporting.Aggregation;

// The people behind a set of accesses for one kind and counterparty (one day, or a union of days): the sketch of their
// subject keys, the subjects no key stands for (each counted as new people: an upper bound), and the
// other kinds the data came combined with.
internal sealed class BulkSubjects
{
    public DistinctCountSketch? Keys;
    public Int128 Keyless;
    public ulong CombinedWith;

    // Cached once the day is complete: its own distinct count plus keyless subjects, an upper bound of what it adds to a union.
    public Int128 Bound = -1;

    public Int128 UpperBound => Bound >= 0 ? Bound : Bound = (Keys?.Count ?? 0) + Keyless;

    public Int128 Count => (Keys?.Count ?? 0) + Keyless;

    public BulkCountBasis Basis =>
        Keyless > 0 ? BulkCountBasis.UpperBound : Keys is null || Keys.IsExact ? BulkCountBasis.Exact : BulkCountBasis.Estimated;

    public BulkSubjects Clone() => new() { Keys = Keys?.Clone(), Keyless = Keyless, CombinedWith = CombinedWith };

    public void UnionWith(BulkSubjects other)
    {
        if (other.Keys is { } keys)
        {
            if (Keys is null)
            {
                Keys = keys.Clone();
            }
            else
            {
                Keys.UnionWith(keys);
            }
        }

        Keyless += other.Keyless;
        CombinedWith |= other.CombinedWith;
        Bound = -1;
    }
}
