using DataAccessAudit.Reporting.Aggregation;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class EliasFanoCodeTests
{
    // Whatever the values (clustered, at both ends of the range, or spread) and however much room the code was made
    // with beyond them, they read back as written.
    [Property(MaxTest = 1000)]
    public Property WrittenValues_ReadBackInOrder() =>
        Prop.ForAll(Values, Gen.Choose(0, 300).ToArbitrary(), (values, room) =>
        {
            var sorted = values.Distinct().Order().ToArray();
            var capacity = sorted.Length + room;
            var words = new ulong[EliasFanoCode.WordsFor(capacity).Words];
            var writer = new EliasFanoCode.Writer(words, capacity);
            foreach (var value in sorted)
            {
                writer.Write(value);
            }

            var reader = new EliasFanoCode.Reader(words, writer.Count, capacity);
            var read = new List<ulong>();
            while (reader.TryRead(out var value))
            {
                read.Add(value);
            }

            return writer.Count == sorted.Length && read.SequenceEqual(sorted);
        });

    [Theory]
    [InlineData(1, 1, 63)]
    [InlineData(1_000, 10, 54)]
    [InlineData(1_024, 11, 53)]
    [InlineData(1_000_000, 20, 44)]
    public void BitsFor_Capacity_GivesHighPartsUpToTwiceTheCapacity(int capacity, int high, int low) =>
        Assert.Equal((high, low), EliasFanoCode.BitsFor(capacity));

    private static Arbitrary<ulong[]> Values { get; } =
        Gen.ArrayOf(Gen.OneOf(
            Gen.Choose(0, 1000).Select(i => (ulong)i),
            Gen.Choose(0, 1000).Select(i => ulong.MaxValue - (ulong)i),
            Gen.Choose(int.MinValue, int.MaxValue).Two().Select(p => ((ulong)(uint)p.Item1 << 32) | (uint)p.Item2))).ToArbitrary();
}
