namespace DataAccessAudit.BulkData;

// Counts of distinct persons (or devices) that may be upper bounds: sums of the subjects of accesses without subject
// keys, each up to 2^53-1, which a long cannot always hold. A figure stops at long.MaxValue instead of wrapping to a
// negative number: no count of persons or devices comes near 2^63, so the stopped figure is still an upper bound,
// still above every threshold.
internal static class PersonCount
{
    public static long Add(long count, long more) => more > long.MaxValue - count ? long.MaxValue : count + more;

    // The people of an access that no subject key stands for: all its subjects when it lists no keys, and those beyond
    // the keys it lists when it says it touched more people (subjects 5,000 with 10 keys). 28 CFR 202.205 counts every
    // U.S. person reached, so they count as new people (an upper bound) rather than vanish behind the keys that were given.
    public static long WithoutKeys(long subjects, int keys) => Math.Max(0, subjects - keys);

    public static long Clamp(Int128 count) => count > long.MaxValue ? long.MaxValue : (long)count;
}
