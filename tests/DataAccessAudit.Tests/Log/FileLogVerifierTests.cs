using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

public sealed class FileLogVerifierTests : IDisposable
{
    // Line n of the one segment holds sequence n - 1 (line 1 is the header).
    private readonly string _directory = LogFixture.NewDirectory();

    public FileLogVerifierTests()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 20);
    }

    private string Segment => LogFixture.OnlySegment(_directory);

    [Fact]
    public void Verify_IntactLog_IsIntactWithEveryRecord()
    {
        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.Equal(20, result.Events);
        Assert.Equal(1, result.FirstSequence);
        Assert.Equal(20, result.LastSequence);
        Assert.Equal(LogFixture.ChainOf(LogFixture.Lines(Segment)[^1]), result.LastChain);
        Assert.StartsWith("intact: 20 records (20 events) in 1 segments, sequence 1..20, last chain ", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OneByteChanged_ReportsModifiedAtThatLine()
    {
        var bytes = File.ReadAllBytes(Segment);
        var lines = LogFixture.Lines(Segment);
        var offset = lines.Take(4).Sum(l => l.Length + 1) + lines[4].IndexOf("emp-", StringComparison.Ordinal) + 4;
        bytes[offset] = (byte)(bytes[offset] == (byte)'1' ? '2' : '1');
        File.WriteAllBytes(Segment, bytes);

        AssertBreak(LogBreakKind.Modified, line: 5, sequence: 4);
    }

    [Fact]
    public void Verify_LineDeleted_ReportsDeleted()
    {
        var lines = LogFixture.Lines(Segment);
        lines.RemoveAt(5);
        LogFixture.WriteLines(Segment, lines);

        AssertBreak(LogBreakKind.Deleted, line: 6, sequence: 5);
    }

    [Fact]
    public void Verify_TwoLinesSwapped_ReportsReordered()
    {
        var lines = LogFixture.Lines(Segment);
        (lines[6], lines[7]) = (lines[7], lines[6]);
        LogFixture.WriteLines(Segment, lines);

        AssertBreak(LogBreakKind.Reordered, line: 7, sequence: 6);
    }

    [Fact]
    public void Verify_LineInserted_ReportsInserted()
    {
        var lines = LogFixture.Lines(Segment);
        lines.Insert(9, lines[2]);
        LogFixture.WriteLines(Segment, lines);

        AssertBreak(LogBreakKind.Inserted, line: 10, sequence: 9);
    }

    [Fact]
    public void Verify_NewLineWithNextSequenceInserted_ReportsInserted()
    {
        var lines = LogFixture.Lines(Segment);
        lines.Insert(9, lines[9].Replace("emp-", "intruder-", StringComparison.Ordinal));
        LogFixture.WriteLines(Segment, lines);

        AssertBreak(LogBreakKind.Inserted, line: 10, sequence: 9);
    }

    [Fact]
    public void Verify_CutInTheMiddleOfTheLastLine_ReportsTruncated()
    {
        var length = new FileInfo(Segment).Length;
        using (var stream = new FileStream(Segment, FileMode.Open))
        {
            stream.SetLength(length - 30);
        }

        AssertBreak(LogBreakKind.Truncated, line: 21, sequence: 20);
    }

    [Fact]
    public void Verify_ChainRecomputedWithoutTheKey_ReportsForgedWithoutKey()
    {
        var lines = LogFixture.Lines(Segment);
        lines[4] = lines[4].Replace("emp-", "xmp-", StringComparison.Ordinal);
        LogFixture.WriteLines(Segment, lines);
        LogFixture.RechainWithoutKey(Segment, fromLine: 5);

        AssertBreak(LogBreakKind.ForgedWithoutKey, line: 5, sequence: 4);
    }

    [Fact]
    public void Verify_WrongKey_ReportsModifiedAtTheHeader()
    {
        var result = FileLogVerifier.Verify(_directory, new Dictionary<string, byte[]> { [LogFixture.KeyId] = LogFixture.Key2 }, TestContext.Current.CancellationToken);

        Assert.Equal(LogBreakKind.Modified, result.Break!.Kind);
        Assert.Equal(1, result.Break.Line);
    }

    [Fact]
    public void Verify_KeyNotGiven_ReportsMissingKey()
    {
        var result = FileLogVerifier.Verify(_directory, null, TestContext.Current.CancellationToken);

        Assert.Equal(LogBreakKind.MissingKey, result.Break!.Kind);
        Assert.Contains("\"k1\"", result.Break.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MissingDirectory_Throws()
    {
        Assert.Throws<DirectoryNotFoundException>(() => FileLogVerifier.Verify(Path.Combine(_directory, "nope"), null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Reader_TamperedLog_YieldsEveryEventAndReportsTheBreakAsAnIntegrityProblem()
    {
        var lines = LogFixture.Lines(Segment);
        lines.RemoveAt(5);
        LogFixture.WriteLines(Segment, lines);
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var reader = new FileLogReader(_directory, LogFixture.Keys);

        var records = reader.Read(problems.Add).ToList();

        Assert.Equal(19, records.Count);
        Assert.False(reader.Verification!.IsIntact);
        Assert.Empty(problems);
        var problem = Assert.Single(reader.IntegrityProblems);
        Assert.Equal(6, problem.Line);
        Assert.Contains("deleted", problem.Message, StringComparison.Ordinal);
    }

    private void AssertBreak(LogBreakKind kind, long line, long sequence)
    {
        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.False(result.IsIntact);
        Assert.Equal(kind, result.Break!.Kind);
        Assert.Equal(line, result.Break.Line);
        Assert.Equal(sequence, result.Break.Sequence);
        Assert.Equal(Segment, result.Break.Segment);
        Assert.StartsWith($"broken: {Segment}:{line}: {result.Break.KindName} at sequence {sequence}: ", result.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
