using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

// The links are checked ahead in blocks, on several threads; these pin that the first break, its kind and its place
// are what a line-by-line walk finds wherever a block starts or ends, and that an intact log spanning many blocks
// verifies whole.
public sealed class LogReadAheadTests : IDisposable
{
    private const int Events = 9_000;

    // Line n of the one segment holds sequence n - 1 (line 1 is the header).
    private readonly string _directory = LogFixture.NewDirectory();
    private readonly string _segment;
    private readonly byte[] _intact;

    public LogReadAheadTests()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), Events, batchSize: 500);
        _segment = LogFixture.OnlySegment(_directory);
        _intact = File.ReadAllBytes(_segment);
    }

    [Fact]
    public void IntactLogOfManyBlocks_VerifiesEveryRecord()
    {
        Assert.True(BlockStarts().Count >= 3, "the log should span at least three blocks");

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.Equal(Events, result.Records);
        Assert.Equal(Events, result.Events);
        Assert.Equal(Events, result.LastSequence);
        Assert.Equal(LogFixture.ChainOf(LogFixture.Lines(_segment)[^1]), result.LastChain);
    }

    [Fact]
    public void ByteChangedAroundEachBlockStart_IsModifiedAtThatLine()
    {
        foreach (var line in AroundBlockStarts())
        {
            var lines = LogFixture.Lines(_segment);
            lines[line - 1] = lines[line - 1].Replace("\"read\"", "\"reaD\"", StringComparison.Ordinal);
            LogFixture.WriteLines(_segment, lines);

            AssertBreak(LogBreakKind.Modified, line);
            File.WriteAllBytes(_segment, _intact);
        }
    }

    [Fact]
    public void LinesSwappedAcrossEachBlockStart_AreReordered()
    {
        foreach (var line in AroundBlockStarts())
        {
            var lines = LogFixture.Lines(_segment);
            (lines[line - 1], lines[line]) = (lines[line], lines[line - 1]);
            LogFixture.WriteLines(_segment, lines);

            AssertBreak(LogBreakKind.Reordered, line);
            File.WriteAllBytes(_segment, _intact);
        }
    }

    [Fact]
    public void LineDeletedAtEachBlockStart_IsDeleted()
    {
        foreach (var line in AroundBlockStarts())
        {
            var lines = LogFixture.Lines(_segment);
            lines.RemoveAt(line - 1);
            LogFixture.WriteLines(_segment, lines);

            AssertBreak(LogBreakKind.Deleted, line);
            File.WriteAllBytes(_segment, _intact);
        }
    }

    [Fact]
    public void Reader_AfterABreakInALaterBlock_StillYieldsEveryEvent()
    {
        var line = BlockStarts()[1] + 1;
        var lines = LogFixture.Lines(_segment);
        lines[line - 1] = lines[line - 1].Replace("\"read\"", "\"reaD\"", StringComparison.Ordinal);
        LogFixture.WriteLines(_segment, lines);
        var reader = new FileLogReader(_directory, LogFixture.Keys);

        var records = reader.Read(_ => { }).Count();

        Assert.Equal(Events, records);
        Assert.Equal(LogBreakKind.Modified, reader.Verification.Break!.Kind);
        Assert.Equal(line, reader.Verification.Break.Line);
    }

    [Fact]
    public void Blocks_HoldEveryLineAsInTheFile_WithWhereTheNextStarts()
    {
        var lines = LogFixture.Lines(_segment);
        lines[100] = new string('x', LineBuffer.MaxLineLength + 1);
        File.WriteAllText(_segment, string.Concat(lines.Select(l => l + "\n")) + "{\"cut\"");
        lines.Add("{\"cut\"");

        var seen = 0;
        long offset = 0;
        using (var ahead = new LogReadAhead(LogFormat.ListSegments(_directory), LogFixture.Keys, TestContext.Current.CancellationToken))
        {
            while (ahead.TryTake(out var block))
            {
                for (var i = 0; i < block.Count; i++, seen++)
                {
                    var line = block.Lines[i];
                    if (seen == 100)
                    {
                        Assert.Equal((0, LineBuffer.MaxLineLength + 1L), (line.Length, line.DroppedLength));
                    }
                    else
                    {
                        Assert.Equal(lines[seen], Encoding.UTF8.GetString(block.Line(i)));
                    }

                    Assert.Equal(seen < lines.Count - 1, line.Terminated);
                    offset += lines[seen].Length + (line.Terminated ? 1 : 0);
                    Assert.Equal(offset, line.NextOffset);
                }

                ahead.Return(block);
            }
        }

        Assert.Equal(lines.Count, seen);
        Assert.Equal(new FileInfo(_segment).Length, offset);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // The line numbers (1-based) at which the read-ahead starts a block, read from the read-ahead itself.
    private List<int> BlockStarts()
    {
        var starts = new List<int>();
        var next = 1;
        using var ahead = new LogReadAhead(LogFormat.ListSegments(_directory), LogFixture.Keys, TestContext.Current.CancellationToken);
        while (ahead.TryTake(out var block))
        {
            starts.Add(next);
            next += block.Count;
            ahead.Return(block);
        }

        return starts;
    }

    // The lines just before, at and just after each block start but the first (the header's block).
    private IEnumerable<int> AroundBlockStarts() =>
        BlockStarts().Skip(1).SelectMany(start => new[] { start - 1, start, start + 1 }).Where(line => line > 2 && line < Events);

    private void AssertBreak(LogBreakKind kind, int line)
    {
        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.False(result.IsIntact, $"a change at line {line} went unseen");
        Assert.Equal((kind, (long)line, (long)line - 1), (result.Break!.Kind, result.Break.Line, result.Break.Sequence));
    }
}
