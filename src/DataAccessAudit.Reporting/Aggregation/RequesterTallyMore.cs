using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting.Aggregation;

// What a requester's tally holds past its first region, type and protected resource (see RequesterTally), made only
// for a requester that has any.
internal sealed class RequesterTallyMore
{
    // The regions after the first, with counts (a requester is almost always seen from one or two).
    public (Region Region, long Count)[]? Regions;
    public int RegionCount;

    // The distinct protected resource types after the first.
    public string[]? Types;
    public int TypeCount;

    // The set of distinct protected resources, once there are two, and its count when the tally was frozen.
    public HashSet64? Resources;
    public long ResourcesWhenFrozen;

    public RequesterTallyMore Copy() => new()
    {
        Regions = Regions?.Clone() as (Region Region, long Count)[],
        RegionCount = RegionCount,
        Types = Types?.Clone() as string[],
        TypeCount = TypeCount,
        Resources = Resources,
    };
}
