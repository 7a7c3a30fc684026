using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

public sealed class LinePipelineTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    [Theory]
    [InlineData(2 * LinePipeline.ChunkSize)]
    [InlineData((7 * LinePipeline.ChunkSize) + 13)]
    [InlineData(4096)]
    public void Write_LargeBatch_GivesTheBytesAndChainOfOneLineAtATime(int count)
    {
        var batch = Records(0, count);
        var (expectedBytes, expectedChain) = OneLineAtATime([batch], firstSeq: 41);
        using var pipeline = new LinePipeline();
        using var hasher = ChainHasher.Keyed(LogFixture.KeyId, LogFixture.Key);
        var chain = new byte[ChainHasher.Size];

        var bytes = Concat(pipeline.Write(batch, 41, hasher, chain));

        Assert.Equal(expectedBytes, bytes);
        Assert.Equal(expectedChain, chain);
    }

    [Fact]
    public void Write_SuccessiveBatches_ContinueTheChainAndTheSequence()
    {
        var batches = new[] { Records(0, 1000), Records(1000, 3000), Records(4000, 600) };
        var (expectedBytes, expectedChain) = OneLineAtATime(batches, firstSeq: 1);
        using var pipeline = new LinePipeline();
        using var hasher = ChainHasher.Keyed(LogFixture.KeyId, LogFixture.Key);
        var chain = new byte[ChainHasher.Size];
        var bytes = new List<byte>();
        var seq = 1L;

        foreach (var batch in batches)
        {
            bytes.AddRange(Concat(pipeline.Write(batch, seq, hasher, chain)));
            seq += batch.Length;
        }

        Assert.Equal(expectedBytes, bytes.ToArray());
        Assert.Equal(expectedChain, chain);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(2000)]
    public void Write_ARecordThatCannotBeSerialised_ThrowsAndTheNextBatchIsWritten(int badIndex)
    {
        var bad = Records(0, 2500);
        bad[badIndex] = default; // no event: serialising it throws, on whichever thread takes its chunk
        using var pipeline = new LinePipeline();
        using var hasher = ChainHasher.Unkeyed();
        var chain = new byte[ChainHasher.Size];

        Assert.ThrowsAny<Exception>(() => pipeline.Write(bad, 1, hasher, chain));

        var good = Records(0, 1500);
        var (expectedBytes, expectedChain) = OneLineAtATime([good], firstSeq: 1, keyed: false);
        chain = new byte[ChainHasher.Size];
        Assert.Equal(expectedBytes, Concat(pipeline.Write(good, 1, hasher, chain)));
        Assert.Equal(expectedChain, chain);
    }

    [Fact]
    public void FileLog_LargeBatches_WritesAGapFreeIntactChainInOrder()
    {
        const int count = 10_000;
        LogFixture.WriteLog(LogFixture.Options(_directory), count, batchSize: 4096);
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var reader = new FileLogReader(_directory, LogFixture.Keys);

        var ids = reader.Read(problems.Add).Select(r => r.Event.Id).ToList();

        Assert.Empty(problems);
        Assert.True(reader.Verification!.IsIntact, reader.Verification.Break?.ToString());
        Assert.Equal(count, reader.Verification.LastSequence);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"e-{i}"), ids);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static AccessRecord[] Records(int first, int count) => [.. Enumerable.Range(first, count).Select(i => LogFixture.Record(i))];

    private static (byte[] Bytes, byte[] Chain) OneLineAtATime(AccessRecord[][] batches, long firstSeq, bool keyed = true)
    {
        using var lines = new LogLineWriter();
        using var hasher = keyed ? ChainHasher.Keyed(LogFixture.KeyId, LogFixture.Key) : ChainHasher.Unkeyed();
        var chain = new byte[ChainHasher.Size];
        var seq = firstSeq;
        foreach (var batch in batches)
        {
            foreach (var record in batch)
            {
                lines.AppendEvent(record, seq++, hasher, chain);
            }
        }

        return (lines.Written.ToArray(), chain);
    }

    private static byte[] Concat(IReadOnlyList<ReadOnlyMemory<byte>> parts) => [.. parts.SelectMany(p => p.ToArray())];
}
