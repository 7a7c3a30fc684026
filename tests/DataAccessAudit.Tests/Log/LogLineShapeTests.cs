using DataAccessAudit.Interchange;
using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

// Lines that look like the writer's event lines at both ends (the "schema" member first, "seq" and "chain" last)
// but are not what the writer writes, re-chained without a key as anyone can do for an unkeyed log. They pin what
// the verifier reads from such a line: the whole line as JSON, not its fixed prefix and suffix. A shortcut that
// trusted the shape of a line whose link verifies would get each of them wrong.
public sealed class LogLineShapeTests : IDisposable
{
    // Line n of the one segment holds sequence n - 1 (line 1 is the header); the crafted line is line 6.
    private readonly string _directory = LogFixture.NewDirectory();

    public LogLineShapeTests()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory, keyed: false), 20);
    }

    private string Segment => LogFixture.OnlySegment(_directory);

    [Fact]
    public void Verify_ObjectClosedBeforeTheSeqMember_ReportsModified()
    {
        Craft("{\"schema\":\"access-event/1\",\"id\":\"e-x\"}junk,\"seq\":5");

        AssertBreak(LogBreakKind.Modified, "the line has no \"seq\" member");
    }

    [Fact]
    public void Verify_LaterSchemaMemberMakesItAGapRecord_CountsAGapNotAnEvent()
    {
        Craft("{\"schema\":\"access-event/1\",\"id\":\"e-x\",\"schema\":\"access-log/1\",\"type\":\"gap\",\"time\":\"2026-11-27T07:00:00Z\",\"dropped\":7,\"seq\":5");

        var result = Verify();

        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.Equal(20, result.Records);
        Assert.Equal(19, result.Events);
        Assert.Equal(7, result.DroppedEvents);
    }

    [Fact]
    public void Verify_EarlierSeqMemberAndSeqInsideAString_UsesTheLastTopLevelSeq()
    {
        Craft("{\"schema\":\"access-event/1\",\"seq\":99,\"note\":\"\\\",\\\"seq\\\":5\",\"seq\":5");

        var result = Verify();

        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.Equal(20, result.Events);
        Assert.Equal(20, result.LastSequence);
    }

    [Fact]
    public void Verify_SeqWithLeadingZero_ReportsModifiedAsNotALogLine()
    {
        Craft("{\"schema\":\"access-event/1\",\"id\":\"e-x\",\"seq\":05");

        AssertBreak(LogBreakKind.Modified, "the line is not a log line");
    }

    [Theory]
    [InlineData("5e0")]
    [InlineData("5.0")]
    [InlineData("\"5\"")]
    public void Verify_SeqNotAnInteger_ReportsNoSeqMember(string seq)
    {
        Craft("{\"schema\":\"access-event/1\",\"id\":\"e-x\",\"seq\":" + seq);

        AssertBreak(LogBreakKind.Modified, "the line has no \"seq\" member");
    }

    [Fact]
    public void Verify_UpperCaseChainDigits_ReportsModifiedAsNotALogLine()
    {
        var lines = LogFixture.Lines(Segment);
        lines[5] = lines[5][..^66] + lines[5][^66..^2].ToUpperInvariant() + "\"}";
        LogFixture.WriteLines(Segment, lines);

        AssertBreak(LogBreakKind.Modified, "the line is not a log line");
    }

    [Fact]
    public void Verify_LoneSurrogateInTopLevelString_ReportsModifiedInsteadOfThrowing()
    {
        Craft("{\"schema\":\"access-event/1\",\"id\":\"e-x\",\"time\":\"\\ud800\",\"seq\":5");

        AssertBreak(LogBreakKind.Modified, "the line is not a log line");
    }

    [Fact]
    public void Verify_InvalidUtf8InTopLevelStringOfKeyedLog_ReportsModifiedInsteadOfThrowing()
    {
        var keyed = LogFixture.NewDirectory();
        try
        {
            LogFixture.WriteLog(LogFixture.Options(keyed), 20);
            var segment = LogFixture.OnlySegment(keyed);
            var bytes = File.ReadAllBytes(segment);
            var lines = LogFixture.Lines(segment);
            var offset = lines.Take(5).Sum(l => l.Length + 1) + lines[5].IndexOf("\"time\":\"", StringComparison.Ordinal) + 8;
            bytes[offset] = 0xFF;
            File.WriteAllBytes(segment, bytes);

            var result = FileLogVerifier.Verify(keyed, LogFixture.Keys, TestContext.Current.CancellationToken);

            Assert.Equal(LogBreakKind.Modified, result.Break?.Kind);
            Assert.Equal(6, result.Break!.Line);
            Assert.Equal(5, result.Break.Sequence);
        }
        finally
        {
            Directory.Delete(keyed, recursive: true);
        }
    }

    [Fact]
    public void Read_LaterSchemaMemberMakesItAGapRecord_ReportsTheGapAndSkipsTheLine()
    {
        Craft("{\"schema\":\"access-event/1\",\"id\":\"e-x\",\"schema\":\"access-log/1\",\"type\":\"gap\",\"time\":\"2026-11-27T07:00:00Z\",\"dropped\":7,\"seq\":5");
        var reader = new FileLogReader(_directory);
        var problems = new List<InputProblem>();

        var records = reader.Read(problems.Add).ToList();

        Assert.Equal(19, records.Count);
        Assert.Empty(problems);
        Assert.True(reader.Verification!.IsIntact);
        var gap = Assert.Single(reader.IntegrityProblems);
        Assert.Equal(6, gap.Line);
        Assert.Equal("gap: 7 accesses were not recorded (the recorder's queue was full, or an access was too large to record), noted at 2026-11-27T07:00:00Z", gap.Message);
    }

    // A gap written before gaps carried their reason may have either cause, so its text names both.
    [Theory]
    [InlineData("\"dropped\":1,\"since\":\"2026-11-27T06:59:00Z\",\"reason\":\"queue-full\"", "gap: the recorder dropped 1 access (its queue was full), noted at 2026-11-27T07:00:00Z")]
    [InlineData("\"dropped\":12,\"since\":\"2026-11-27T06:59:00Z\",\"reason\":\"queue-full\"", "gap: the recorder dropped 12 accesses (its queue was full), noted at 2026-11-27T07:00:00Z")]
    [InlineData("\"dropped\":1,\"since\":\"2026-11-27T07:00:00Z\",\"reason\":\"too-large\"", "gap: 1 access was too large to record (over 16 MiB as one line) and was recorded as this gap instead, at 2026-11-27T07:00:00Z")]
    [InlineData("\"dropped\":1,\"since\":\"2026-11-27T07:00:00Z\"", "gap: 1 access was not recorded (the recorder's queue was full, or an access was too large to record), noted at 2026-11-27T07:00:00Z")]
    [InlineData("\"dropped\":2,\"since\":\"2026-11-27T07:00:00Z\",\"reason\":\"disk-on-fire\"", "gap: 2 accesses were not recorded (the recorder's queue was full, or an access was too large to record), noted at 2026-11-27T07:00:00Z")]
    public void Read_GapRecord_SaysWhyItsAccessesWereLost_WithTheCountInTheRightNumber(string members, string expected)
    {
        Craft("{\"schema\":\"access-log/1\",\"type\":\"gap\",\"time\":\"2026-11-27T07:00:00Z\"," + members + ",\"seq\":5");
        var reader = new FileLogReader(_directory);

        _ = reader.Read(_ => { }).Count();

        Assert.True(reader.Verification!.IsIntact);
        Assert.Equal(expected, Assert.Single(reader.IntegrityProblems).Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Replaces line 6's body (its text before the chain member) and re-chains the segment from there without a key.
    private void Craft(string bodyWithoutBrace)
    {
        var lines = LogFixture.Lines(Segment);
        lines[5] = bodyWithoutBrace + lines[5][^76..];
        LogFixture.WriteLines(Segment, lines);
        LogFixture.RechainWithoutKey(Segment, 6);
    }

    private LogVerificationResult Verify() => FileLogVerifier.Verify(_directory, keys: null, TestContext.Current.CancellationToken);

    private void AssertBreak(LogBreakKind kind, string message)
    {
        var result = Verify();

        Assert.False(result.IsIntact);
        Assert.Equal(kind, result.Break!.Kind);
        Assert.Equal(Segment, result.Break.Segment);
        Assert.Equal(6, result.Break.Line);
        Assert.Equal(5, result.Break.Sequence);
        Assert.StartsWith(message, result.Break.Message, StringComparison.Ordinal);
    }
}
