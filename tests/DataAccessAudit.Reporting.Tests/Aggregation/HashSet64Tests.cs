using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class HashSet64Tests
{
    [Fact]
    public void Add_ManyValuesWithDuplicates_CountsDistinct()
    {
        var set = new HashSet64();
        var random = new Random(5);
        var reference = new HashSet<ulong>();
        for (var i = 0; i < 50_000; i++)
        {
            var value = (ulong)random.NextInt64(0, 20_000) * 0x9E3779B97F4A7C15UL;
            set.Add(value);
            reference.Add(value == 0 ? 1 : value);
        }

        Assert.Equal(reference.Count, set.Count);
    }

    [Fact]
    public void Add_Zero_IsCountedOnce()
    {
        var set = new HashSet64();

        set.Add(0);
        set.Add(0);

        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void UnionWith_OverlappingSets_CountsUnion()
    {
        var a = new HashSet64();
        var b = new HashSet64();
        for (ulong i = 1; i <= 3000; i++)
        {
            a.Add(i * 0x9E3779B97F4A7C15UL);
        }

        for (ulong i = 2001; i <= 5000; i++)
        {
            b.Add(i * 0x9E3779B97F4A7C15UL);
        }

        a.UnionWith(b);

        Assert.Equal(5000, a.Count);
    }

    [Fact]
    public void Add_PastSevenEighths_GrowsByHalfNotDouble()
    {
        var set = new HashSet64();
        var capacities = new List<int> { set.Capacity };
        for (ulong i = 1; i <= 100_000; i++)
        {
            set.Add(i * 0x9E3779B97F4A7C15UL);
            if (set.Capacity != capacities[^1])
            {
                capacities.Add(set.Capacity);
            }

            Assert.True(set.Count * 8 <= set.Capacity * 7, $"{set.Count} values in {set.Capacity} slots");
        }

        Assert.Equal(100_000, set.Count);
        for (var i = 1; i < capacities.Count; i++)
        {
            Assert.InRange(capacities[i], capacities[i - 1] + 1, capacities[i - 1] + Math.Max(capacities[i - 1] / 2, 8));
        }

        // Never less than 58 % full once grown past the first few steps: the point of growing by half.
        Assert.True(set.Count * 100 >= set.Capacity * 58, $"{set.Count} values in {set.Capacity} slots");
    }

    [Fact]
    public void Add_ValuesSharingTheirHomeSlot_KeepsEveryOneAcrossGrowth()
    {
        // Equal high bits give every value the same home slot at every size: one probe run that wraps around the end.
        var set = new HashSet64();
        var values = new List<ulong>();
        for (ulong i = 1; i <= 500; i++)
        {
            values.Add(0xFFFF_FFFF_0000_0000UL | i);
        }

        foreach (var value in values)
        {
            set.Add(value);
            set.Add(value);
        }

        Assert.Equal(500, set.Count);
        Assert.All(values, value => Assert.True(set.Contains(value)));
        Assert.False(set.Contains(0xFFFF_FFFF_0000_0000UL | 501));
    }

    [Fact]
    public void Add_AgainstHashSet_AgreesAtEverySize()
    {
        var set = new HashSet64();
        var reference = new HashSet<ulong>();
        var random = new Random(11);
        for (var i = 0; i < 200_000; i++)
        {
            // A small range so that about half the adds are repeats.
            var value = (ulong)random.NextInt64(1, 100_000) * 0xC2B2AE3D27D4EB4FUL;
            Assert.Equal(reference.Add(value), !set.Contains(value));
            set.Add(value);
            Assert.Equal(reference.Count, set.Count);
        }
    }

    [Fact]
    public void UnionWith_SetsOfDifferentCapacities_HoldsEveryValueOfBoth()
    {
        var small = new HashSet64();
        var large = new HashSet64();
        for (ulong i = 1; i <= 10; i++)
        {
            small.Add(i * 0x9E3779B97F4A7C15UL);
        }

        for (ulong i = 5; i <= 20_000; i++)
        {
            large.Add(i * 0x9E3779B97F4A7C15UL);
        }

        small.UnionWith(large);

        Assert.Equal(20_000, small.Count);
        for (ulong i = 1; i <= 20_000; i++)
        {
            Assert.True(small.Contains(i * 0x9E3779B97F4A7C15UL));
        }
    }

    [Fact]
    public void UnionWith_Itself_KeepsCountAndValues()
    {
        var set = new HashSet64();

        // Seven values fill eight slots to the growth point, so one more add of any value would grow the table.
        for (ulong i = 1; i <= 7; i++)
        {
            set.Add(i * 0x9E3779B97F4A7C15UL);
        }

        set.UnionWith(set);

        Assert.Equal(7, set.Count);
        Assert.Equal(8, set.Capacity);
        for (ulong i = 1; i <= 7; i++)
        {
            Assert.True(set.Contains(i * 0x9E3779B97F4A7C15UL));
        }
    }

    [Fact]
    public void Finalizer_ManyAbandonedGrownSets_LeavesLiveSetsIntact()
    {
        var kept = new HashSet64();
        for (var round = 0; round < 20; round++)
        {
            var abandoned = new HashSet64();
            for (ulong i = 1; i <= 5_000; i++)
            {
                abandoned.Add((i + ((ulong)round << 20)) * 0x9E3779B97F4A7C15UL);
                kept.Add((i + ((ulong)round << 20)) * 0x9E3779B97F4A7C15UL);
            }

            Assert.Equal(5_000, abandoned.Count);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(100_000, kept.Count);
        Assert.True(kept.Contains(unchecked((5_000 + (19UL << 20)) * 0x9E3779B97F4A7C15UL)));
    }

    [Fact]
    public void Finalizer_AbandonedSet_ReleasesItsTable()
    {
        var released = new System.Collections.Concurrent.ConcurrentBag<long>();
        Action<long> onReleased = released.Add;
        SlotTable.Released += onReleased;
        try
        {
            var table = AbandonGrownSet();

            GC.Collect();
            GC.WaitForPendingFinalizers();

            Assert.Single(released, id => id == table);
        }
        finally
        {
            SlotTable.Released -= onReleased;
        }
    }

    [Fact]
    public void Grow_FreesEachOutgrownTableOnceAndDisposeTheLastOnce()
    {
        var released = new System.Collections.Concurrent.ConcurrentBag<long>();
        Action<long> onReleased = released.Add;
        SlotTable.Released += onReleased;
        try
        {
            var set = new HashSet64();
            var tables = new List<long> { set.Table.Id };
            for (ulong i = 1; i <= 1_000; i++)
            {
                set.Add(i * 0x9E3779B97F4A7C15UL);
                if (set.Table.Id != tables[^1])
                {
                    tables.Add(set.Table.Id);
                }
            }

            // Freed as soon as outgrown, not left to the finalizer.
            Assert.True(tables.Count > 5);
            Assert.All(tables[..^1], table => Assert.Single(released, id => id == table));
            Assert.DoesNotContain(tables[^1], released);

            set.Dispose();
            set.Dispose();

            Assert.All(tables, table => Assert.Single(released, id => id == table));
        }
        finally
        {
            SlotTable.Released -= onReleased;
        }
    }

    [Fact]
    public void Allocate_Failing_LeavesNothingForTheFinalizerToFree()
    {
        // A length whose byte count no allocator can satisfy. The half-made table is then finalized: were it to
        // release its null address (or un-report memory it never reported), the finalizer would throw and the
        // collector would end the process, failing the whole run.
        Assert.Throws<OutOfMemoryException>(() => SlotTable.Allocate(-1));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var set = new HashSet64();
        set.Add(1);
        Assert.True(set.Contains(1));
    }

    [Fact]
    public void Dispose_FreesTheTableAndLaterUseThrowsInsteadOfReadingFreedMemory()
    {
        var set = new HashSet64();
        set.Add(42);
        var table = set.Table;

        set.Dispose();

        Assert.True(table.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => set.Contains(42));
        Assert.Throws<ObjectDisposedException>(() => set.Add(43));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static long AbandonGrownSet()
    {
        var set = new HashSet64();
        for (ulong i = 1; i <= 1_000; i++)
        {
            set.Add(i * 0x9E3779B97F4A7C15UL);
        }

        return set.Table.Id;
    }
}
