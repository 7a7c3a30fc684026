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
        Assert.StartsWith("verified: 20 records (20 events) in 1 segments, sequence 1..20, last chain ", result.ToString(), StringComparison.Ordinal);
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
    public void Verify_RightKeyIdWrongKeyMaterial_SaysTheKeyDoesNotMatch_NotModified()
    {
        var result = FileLogVerifier.Verify(_directory, new Dictionary<string, byte[]> { [LogFixture.KeyId] = LogFixture.Key2 }, TestContext.Current.CancellationToken);

        Assert.Equal(LogBreakKind.WrongKey, result.Break!.Kind);
        Assert.Equal("wrong-key", result.Break.KindName);
        Assert.Equal(1, result.Break.Line);
        Assert.Equal("the key for id \"k1\" does not match this log (wrong key, or the header was forged)", result.Break.Message);
        Assert.Equal(LogVerdict.Broken, result.Verdict);
    }

    [Fact]
    public void Verify_HeaderEditedButRecordsStillLinkToIt_IsModifiedNotWrongKey()
    {
        var lines = LogFixture.Lines(Segment);
        lines[0] = lines[0].Replace("\"created\":\"2026-11-27T07:00:00Z\"", "\"created\":\"2026-11-27T08:00:00Z\"", StringComparison.Ordinal);
        LogFixture.WriteLines(Segment, lines);

        AssertBreak(LogBreakKind.Modified, line: 1, sequence: 1);
    }

    [Fact]
    public void Verify_KeyNotGiven_IsUnverifiedNamingTheKey_NotBroken()
    {
        var result = FileLogVerifier.Verify(_directory, null, TestContext.Current.CancellationToken);

        Assert.Null(result.Break);
        Assert.Equal(LogVerdict.Unverified, result.Verdict);
        Assert.Equal("unverified", result.VerdictName);
        Assert.False(result.IsIntact);
        Assert.Equal(["k1"], result.UncheckedKeyIds);
        Assert.Equal(20, result.LastSequence);
        Assert.StartsWith("unverified: 20 records", result.ToString(), StringComparison.Ordinal);
        Assert.Contains("the chain itself was not checked: no key was given for \"k1\"", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyNotGiven_StillFindsADeletedRecordBySequence()
    {
        var lines = LogFixture.Lines(Segment);
        lines.RemoveAt(5);
        LogFixture.WriteLines(Segment, lines);

        var result = FileLogVerifier.Verify(_directory, null, TestContext.Current.CancellationToken);

        Assert.Equal(LogVerdict.Broken, result.Verdict);
        Assert.Equal(LogBreakKind.Deleted, result.Break!.Kind);
        Assert.Equal(6, result.Break.Line);
        Assert.Equal(5, result.Break.Sequence);
    }

    [Fact]
    public void Verify_KeyNotGiven_StillFindsAMissingFirstSegment()
    {
        var directory = LogFixture.NewDirectory();
        try
        {
            LogFixture.WriteLog(LogFixture.Options(directory, configure: o => o.MaxSegmentSize = FileLogOptions.MinSegmentSize), 40, batchSize: 4);
            File.Delete(LogFixture.Segments(directory)[0]);

            var result = FileLogVerifier.Verify(directory, null, TestContext.Current.CancellationToken);

            Assert.Equal(LogVerdict.Broken, result.Verdict);
            Assert.Equal(LogBreakKind.Deleted, result.Break!.Kind);
            Assert.Equal(0, result.RemovedUpToSequence);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Verify_KeyedChainCheckedWithItsKey_IsVerified()
    {
        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.Equal(LogVerdict.Verified, result.Verdict);
        Assert.Empty(result.UncheckedKeyIds);
    }

    [Fact]
    public void Verify_UnkeyedLog_IsVerifiedUnkeyedWithTheCaveat()
    {
        var directory = LogFixture.NewDirectory();
        try
        {
            LogFixture.WriteLog(LogFixture.Options(directory, keyed: false), 5);

            var result = FileLogVerifier.Verify(directory, null, TestContext.Current.CancellationToken);

            Assert.Equal(LogVerdict.VerifiedUnkeyed, result.Verdict);
            Assert.True(result.IsIntact);
            Assert.StartsWith("verified-unkeyed: 5 records", result.ToString(), StringComparison.Ordinal);
            Assert.EndsWith("; chain intact, but unkeyed: it detects accidents, not an editor", result.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Verify_KeyedLogRewrittenWholeAsUnkeyedWithDataChanged_IsOnlyVerifiedUnkeyed()
    {
        // Someone without the key edits an event and recomputes the whole log as an unkeyed one.
        var lines = LogFixture.Lines(Segment);
        lines[0] = lines[0].Replace("\"alg\":\"hmac-sha256\",\"keyId\":\"k1\"", "\"alg\":\"sha256\",\"keyId\":null", StringComparison.Ordinal);
        lines[3] = lines[3].Replace("\"region\":\"CN\"", "\"region\":\"US\"", StringComparison.Ordinal);
        LogFixture.WriteLines(Segment, lines);
        LogFixture.RechainWithoutKey(Segment, fromLine: 1);

        var withoutKey = FileLogVerifier.Verify(_directory, null, TestContext.Current.CancellationToken);
        var withKey = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.Equal(LogVerdict.VerifiedUnkeyed, withoutKey.Verdict);
        Assert.Equal(LogVerdict.Broken, withKey.Verdict);
        Assert.Equal(LogBreakKind.ForgedWithoutKey, withKey.Break!.Kind);
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

    [Fact]
    public void Verify_LineLongerThanTheLimit_IsModifiedAtThatLine_AndTheReaderGoesOnWithTheNextLines()
    {
        var lines = LogFixture.Lines(Segment);
        lines[4] = new string('x', DataAccessAudit.Interchange.AccessEventReader.MaxLineLength + 1);
        LogFixture.WriteLines(Segment, lines);

        AssertBreak(LogBreakKind.Modified, line: 5, sequence: 4);
        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.Contains("the line is 16,777,217 bytes long, more than the 16,777,216 bytes (16 MiB) a line may hold", result.Break!.ToString(), StringComparison.Ordinal);

        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var records = reader.Read(problems.Add).ToList();

        Assert.Equal(19, records.Count);
        Assert.Equal(5, Assert.Single(reader.IntegrityProblems).Line);
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
