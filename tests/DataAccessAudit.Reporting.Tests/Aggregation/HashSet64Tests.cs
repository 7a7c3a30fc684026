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
    public void Add_ZeroAndOne_AreTwoValues()
    {
        var set = new HashSet64();

        set.Add(0);
        set.Add(0);
        set.Add(1);

        Assert.Equal(2, set.Count);
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
    public void Add_ManyValues_KeepsTheBufferToAnEighthOfTheSetAndTheCodeUnderSevenBytesAValue()
    {
        var set = new HashSet64();
        var random = new Random(3);
        for (var i = 1; i <= 200_000; i++)
        {
            set.Add((ulong)random.NextInt64());
            Assert.True(set.BufferLength <= Math.Max(4, i / 8), $"a buffer of {set.BufferLength} values after {i} adds");
        }

        // The buffer grows with the set, so that each merge, which rewrites the set, comes after as many more adds.
        Assert.True(set.BufferLength >= 200_000 / 16, $"a buffer of {set.BufferLength} values for 200,000");
        Assert.Equal(200_000, set.Count);

        // For n values, 64 - log2(n) low bits and up to 3 bits of high parts: 6.1 bytes a value for 200,000.
        var coded = set.Count - set.Buffered;
        Assert.InRange(set.Code!.Length * 8.0 / coded, 6.0, 6.5);
    }

    [Fact]
    public void Count_WithValuesBuffered_CountsThemWithoutMakingTheCodeAnew()
    {
        var set = new HashSet64();
        for (ulong i = 1; i <= 1_000; i++)
        {
            set.Add(Value(i));
        }

        var code = set.Code;
        Assert.NotEqual(0, set.Buffered);

        // Repeats of coded and of buffered values, and one new value.
        set.Add(Value(1));
        set.Add(Value(1_000));
        set.Add(Value(1_001));

        Assert.Equal(1_001, set.Count);
        Assert.Same(code, set.Code);
        Assert.Equal(1_001, set.Count);
    }

    [Fact]
    public async Task Add_FromTwoThreadsAtOnce_CountsEveryDistinctValue()
    {
        var set = new HashSet64();
        using var start = new Barrier(2);

        // Overlapping halves: both threads add 25,001 to 75,000.
        Task AddRange(ulong from, ulong to) => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            for (var i = from; i <= to; i++)
            {
                set.Add(i * 0x9E3779B97F4A7C15UL);
            }
        }, TestContext.Current.CancellationToken);

        await Task.WhenAll(AddRange(1, 75_000), AddRange(25_001, 100_000));

        Assert.Equal(100_000, set.Count);
    }

    [Fact]
    public void Add_ValuesAtBothEndsOfTheRange_ReadsEachBack()
    {
        ulong[] values = [0, 1, 2, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue - 1, ulong.MaxValue];
        var set = new HashSet64();
        foreach (var value in Enumerable.Reverse(values))
        {
            set.Add(value);
            set.Add(value);
        }

        Assert.Equal(values.Length, set.Count);
        Assert.All(values, value => Assert.True(set.Contains(value)));
        Assert.False(set.Contains(3));
        Assert.False(set.Contains(ulong.MaxValue - 2));
    }

    [Fact]
    public void Add_ValuesSharingTheirHighBits_KeepsEveryOneAcrossMerges()
    {
        // Equal high bits put every value in one bucket of the code's high parts, at every size.
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
            reference.Add(value);
            set.Add(value);

            // Counting merges the buffer, so checking at every add would merge at every add; checking at a prime
            // interval meets the buffer at every fill level.
            if (i % 509 == 0)
            {
                Assert.Equal(reference.Count, set.Count);
                Assert.True(set.Contains(value));
            }
        }

        Assert.Equal(reference.Count, set.Count);
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

        for (ulong i = 1; i <= 7; i++)
        {
            set.Add(i * 0x9E3779B97F4A7C15UL);
        }

        set.UnionWith(set);

        Assert.Equal(7, set.Count);
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
    public void Merge_FreesEachReplacedCodeOnceAndDisposeTheLastOnce()
    {
        var released = new System.Collections.Concurrent.ConcurrentBag<long>();
        Action<long> onReleased = released.Add;
        SlotTable.Released += onReleased;
        try
        {
            var set = new HashSet64();
            var tables = new List<long>();
            for (ulong i = 1; i <= 1_000; i++)
            {
                set.Add(i * 0x9E3779B97F4A7C15UL);
                if (set.Code is { } code && (tables.Count == 0 || code.Id != tables[^1]))
                {
                    tables.Add(code.Id);
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
        for (ulong i = 1; i <= 42; i++)
        {
            set.Add(i);
        }

        var table = set.Code!;

        set.Dispose();

        Assert.True(table.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => set.Contains(42));
        Assert.Throws<ObjectDisposedException>(() => set.Add(43));
    }

    private static ulong Value(ulong i) => unchecked(i * 0x9E3779B97F4A7C15UL);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static long AbandonGrownSet()
    {
        var set = new HashSet64();
        for (ulong i = 1; i <= 1_000; i++)
        {
            set.Add(i * 0x9E3779B97F4A7C15UL);
        }

        Assert.Equal(1_000, set.Count);
        return set.Code!.Id;
    }
}
