using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class RequesterTallyTests
{
    [Fact]
    public void AddProtected_OneDistinctResource_MakesNoSet_AndASecondOneTakesTheSharedSet()
    {
        using var sets = new SharedResourceSets();
        var tally = new RequesterTally("emp-1");

        tally.AddProtected(7, "dm", sets);
        tally.AddProtected(7, "dm", sets);

        Assert.Null(tally.ProtectedResources);
        Assert.Equal(1, tally.ProtectedResourceCount);

        tally.AddProtected(8, "dm", sets);
        tally.AddProtected(9, "contact", sets);

        Assert.Same(sets.For("emp-1"), tally.ProtectedResources);
        Assert.Equal(3, tally.ProtectedResourceCount);
        Assert.Equal(2, tally.ResourceTypeCount);
    }

    [Fact]
    public void ARequesterSeenOnce_IsOneObjectOf120Bytes()
    {
        // Millions of requesters seen a handful of times each make a report's size: beside the id's string, a
        // requester with one region, one type and one protected resource is the tally alone.
        using var sets = new SharedResourceSets();
        const string id = "emp-1";
        var us = Region.Parse("US");
        var tally = new RequesterTally(id);
        tally.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, us);
        tally.AddProtected(7, "dm", sets);

        var before = GC.GetAllocatedBytesForCurrentThread();
        tally = new RequesterTally(id);
        tally.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, us);
        tally.Add(AccessOutcome.Flagged, crossBorder: true, subjects: 1, us);
        tally.AddProtected(7, "dm", sets);
        tally.AddProtected(7, "dm", sets);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(120, allocated);
        Assert.Equal((2L, 1L, 1, "US"), (tally.Counts.Events, tally.ProtectedResourceCount, tally.ResourceTypeCount, tally.MostFrequentRegion().Code));
    }

    [Fact]
    public void Merge_IntoATallyWithoutEvents_TakesTheOthersRegionsAndCounts()
    {
        var us = Region.Parse("US");
        var cn = Region.Parse("CN");
        var theirs = new RequesterTally("r");
        theirs.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, us);
        theirs.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, cn);
        theirs.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, cn);
        var mine = new RequesterTally("r");

        mine.Merge(theirs);
        mine.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, us);
        mine.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, us);

        Assert.Equal(5, mine.Counts.Events);
        Assert.Equal(us, mine.MostFrequentRegion());
        Assert.Equal(cn, theirs.MostFrequentRegion());
    }

    [Fact]
    public void Merge_AnyMixOfNoneOneOrASetOfResources_SharedOrNot_CountsTheUnion()
    {
        var random = new Random(17);
        for (var trial = 0; trial < 2_000; trial++)
        {
            // Both workers' tallies share the report's sets, or (as after another merge) hold sets of their own.
            using var shared = new SharedResourceSets();
            using var other = new SharedResourceSets();
            var mine = new RequesterTally("r");
            var theirs = new RequesterTally("r");
            var all = new HashSet<ulong>();
            foreach (var _ in Enumerable.Range(0, random.Next(4)))
            {
                var value = (ulong)random.Next(2, 7);
                mine.AddProtected(value, null, shared);
                all.Add(value);
            }

            var theirSets = random.Next(2) == 0 ? shared : other;
            foreach (var _ in Enumerable.Range(0, random.Next(4)))
            {
                var value = (ulong)random.Next(2, 7);
                theirs.AddProtected(value, null, theirSets);
                all.Add(value);
            }

            mine.Merge(theirs);

            Assert.Equal(all.Count, mine.ProtectedResourceCount);
        }
    }

    [Fact]
    public void Merge_RegionsAndTypes_KeepCountsAndDistinctTypes()
    {
        using var sets = new SharedResourceSets();
        var us = Region.Parse("US");
        var cn = Region.Parse("CN");
        var sg = Region.Parse("SG");
        var mine = new RequesterTally("r");
        mine.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, us);
        mine.Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, us);
        mine.Add(AccessOutcome.Flagged, crossBorder: true, subjects: 2, cn);
        mine.AddProtected(1, "dm", sets);
        var theirs = new RequesterTally("r");
        theirs.Add(AccessOutcome.Flagged, crossBorder: true, subjects: 1, cn);
        theirs.Add(AccessOutcome.Flagged, crossBorder: true, subjects: 1, cn);
        theirs.Add(AccessOutcome.Flagged, crossBorder: true, subjects: 1, sg);
        theirs.AddProtected(2, new string(['d', 'm']), sets);
        theirs.AddProtected(3, "contact", sets);
        theirs.AddProtected(4, "location", sets);

        mine.Merge(theirs);

        Assert.Equal(cn, mine.MostFrequentRegion());
        Assert.Equal(6, mine.Counts.Events);
        Assert.Equal(7, mine.Subjects);
        Assert.Equal(["dm", "contact", "location"], mine.ResourceTypes);
        Assert.Equal(3, mine.ResourceTypeCount);
        Assert.Equal(4, mine.ProtectedResourceCount);
    }
}
