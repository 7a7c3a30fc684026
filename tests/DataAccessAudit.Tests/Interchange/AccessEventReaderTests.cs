using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Tests.Interchange;

public sealed class AccessEventReaderTests
{
    private static (List<AccessRecord> Records, List<InputProblem> Problems) Read(byte[] bytes, int chunk = int.MaxValue)
    {
        var problems = new List<InputProblem>();
        var records = AccessEventReader.Read(new ChunkedStream(bytes, chunk), "events.jsonl", problems.Add).ToList();
        return (records, problems);
    }

    private static async Task<(List<AccessRecord> Records, List<InputProblem> Problems)> ReadAsync(byte[] bytes, int chunk = int.MaxValue)
    {
        var problems = new List<InputProblem>();
        var records = new List<AccessRecord>();
        await foreach (var record in AccessEventReader.ReadAsync(new ChunkedStream(bytes, chunk), "events.jsonl", problems.Add, TestContext.Current.CancellationToken))
        {
            records.Add(record);
        }

        return (records, problems);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Read_BadLinesAmongGoodOnes_ReportsEachWithSourceLineAndReasonAndGoesOn()
    {
        var text = string.Join('\n', EventLines.WithId("a"), "{not json", EventLines.WithId("b"), EventLines.With(o => o["requester"]!["region"] = "UK"), EventLines.WithId("c")) + "\n";

        var (records, problems) = Read(Utf8(text));

        Assert.Equal(["a", "b", "c"], records.Select(r => r.Event.Id));
        Assert.Equal(2, problems.Count);
        Assert.Equal("events.jsonl", problems[0].Source);
        Assert.Equal(2, problems[0].Line);
        Assert.StartsWith("not valid JSON", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(4, problems[1].Line);
        Assert.Contains("'requester.region' is \"UK\"", problems[1].Message, StringComparison.Ordinal);
        Assert.StartsWith("events.jsonl:4: field 'requester.region'", problems[1].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CrlfLineEnds_AreAccepted()
    {
        var (records, problems) = Read(Utf8($"{EventLines.WithId("a")}\r\n{EventLines.WithId("b")}\r\n"));

        Assert.Equal(["a", "b"], records.Select(r => r.Event.Id));
        Assert.Empty(problems);
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsSkipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Utf8(EventLines.WithId("a") + "\n")).ToArray();

        var (records, problems) = Read(bytes);

        Assert.Equal("a", Assert.Single(records).Event.Id);
        Assert.Empty(problems);
    }

    [Fact]
    public void Read_BlankLines_AreSkippedButCounted()
    {
        var text = $"\n{EventLines.WithId("a")}\n   \n\t\n\r\n{{\n";

        var (records, problems) = Read(Utf8(text));

        Assert.Equal("a", Assert.Single(records).Event.Id);
        Assert.Equal(6, Assert.Single(problems).Line);
    }

    [Fact]
    public void Read_LastLineWithoutNewline_IsRead()
    {
        var (records, problems) = Read(Utf8($"{EventLines.WithId("a")}\n{EventLines.WithId("b")}"));

        Assert.Equal(["a", "b"], records.Select(r => r.Event.Id));
        Assert.Empty(problems);
    }

    [Fact]
    public void Read_BadLastLineWithoutNewline_IsReportedWithItsNumber()
    {
        var (records, problems) = Read(Utf8($"{EventLines.WithId("a")}\n{{\"schema\":"));

        Assert.Single(records);
        Assert.Equal(2, Assert.Single(problems).Line);
    }

    [Fact]
    public void Read_EmptyStream_YieldsNothing()
    {
        var (records, problems) = Read([]);

        Assert.Empty(records);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(4096)]
    [InlineData(7)]
    public void Read_LineLongerThan64KiB_IsReadWhole(int chunk)
    {
        var purpose = new string('p', 200 * 1024);
        var text = $"{EventLines.WithId("a")}\n{EventLines.With(o => { o["id"] = "long"; o["purpose"] = purpose; })}\n{EventLines.WithId("c")}\n";

        var (records, problems) = Read(Utf8(text), chunk);

        Assert.Empty(problems);
        Assert.Equal(["a", "long", "c"], records.Select(r => r.Event.Id));
        Assert.Equal(purpose, records[1].Event.Purpose);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void Read_SmallReads_SplitLinesAsOneBigRead(int chunk)
    {
        var text = $"\uFEFF{EventLines.WithId("a")}\r\n\r\n{{\n{EventLines.WithId("b")}";

        var whole = Read(Utf8(text));
        var pieces = Read(Utf8(text), chunk);

        Assert.Equal(["a", "b"], pieces.Records.Select(r => r.Event.Id));
        Assert.Equal(whole.Problems, pieces.Problems);
        Assert.Equal(3, Assert.Single(pieces.Problems).Line);
    }

    [Fact]
    public async Task ReadAsync_MixedInput_YieldsTheSameAsRead()
    {
        var text = $"{EventLines.WithId("a")}\r\n{{\n\n{EventLines.WithId("b")}";

        var (records, problems) = await ReadAsync(Utf8(text), chunk: 5);

        Assert.Equal(["a", "b"], records.Select(r => r.Event.Id));
        Assert.Equal(Read(Utf8(text)).Problems, problems);
    }

    [Fact]
    public async Task ReadFileAsync_File_NamesTheFileInProblems()
    {
        var path = Path.Combine(Path.GetTempPath(), $"daa-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(path, $"{EventLines.WithId("a")}\nnope\n", TestContext.Current.CancellationToken);
        try
        {
            var problems = new List<InputProblem>();
            var records = new List<AccessRecord>();
            await foreach (var record in AccessEventReader.ReadFileAsync(path, problems.Add, TestContext.Current.CancellationToken))
            {
                records.Add(record);
            }

            Assert.Single(records);
            Assert.Equal(new InputProblem(path, 2, Assert.Single(problems).Message), problems[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryParseLine_BlankLine_IsNeitherEventNorProblem()
    {
        var problems = new List<InputProblem>();

        Assert.False(AccessEventReader.TryParseLine(" \r"u8, "s", 9, problems.Add, out _));
        Assert.Empty(problems);
    }

    [Fact]
    public void InputProblem_WithoutLine_FormatsWithoutNumber() =>
        Assert.Equal("log: chain broken", new InputProblem("log", 0, "chain broken").ToString());

    [Fact]
    public async Task Read_LineAtTheLimit_IsAnEvent_AndALongerLineIsAProblemOfItsLine()
    {
        // An unknown field pads the events to exactly the limit and one byte over it; a line with no line end at all
        // then ends the input.
        var atLimit = Padded("a", AccessEventReader.MaxLineLength);
        var overLimit = Padded("b", AccessEventReader.MaxLineLength + 1);
        Assert.Equal(AccessEventReader.MaxLineLength, Encoding.UTF8.GetByteCount(atLimit));
        var bytes = Utf8($"{atLimit}\n{overLimit}\n{EventLines.WithId("c")}\n{new string('x', 3 * AccessEventReader.MaxLineLength)}");

        var (records, problems) = Read(bytes);
        var (asyncRecords, asyncProblems) = await ReadAsync(bytes, chunk: 1 << 20);

        Assert.Equal(["a", "c"], records.Select(r => r.Event.Id));
        Assert.Equal(
            [
                "events.jsonl:2: the line is 16,777,217 bytes long, more than the 16,777,216 bytes (16 MiB) a line may hold; it was skipped",
                "events.jsonl:4: the line is 50,331,648 bytes long, more than the 16,777,216 bytes (16 MiB) a line may hold; it was skipped",
            ],
            problems.Select(p => p.ToString()));
        Assert.Equal(["a", "c"], asyncRecords.Select(r => r.Event.Id));
        Assert.Equal(problems, asyncProblems);
    }

    [Fact]
    public async Task Read_LineAtTheLimitEndingInCrLf_IsAnEvent_AndALongerOneIsAProblemOfItsLength()
    {
        // access-event/1 removes a final "\r" before it judges a line: it is part of the line end, not of the limit.
        var atLimit = Padded("a", AccessEventReader.MaxLineLength);
        var overLimit = Padded("b", AccessEventReader.MaxLineLength + 1);
        var bytes = Utf8($"{atLimit}\r\n{overLimit}\r\n{EventLines.WithId("c")}\r\n");

        var (records, problems) = Read(bytes);
        var (asyncRecords, asyncProblems) = await ReadAsync(bytes, chunk: 1 << 20);

        Assert.Equal(["a", "c"], records.Select(r => r.Event.Id));
        Assert.Equal(
            ["events.jsonl:2: the line is 16,777,217 bytes long, more than the 16,777,216 bytes (16 MiB) a line may hold; it was skipped"],
            problems.Select(p => p.ToString()));
        Assert.Equal(["a", "c"], asyncRecords.Select(r => r.Event.Id));
        Assert.Equal(problems, asyncProblems);
    }

    private static string Padded(string id, int length)
    {
        var line = EventLines.With(o => { o["id"] = id; o["padding"] = string.Empty; });
        return EventLines.With(o => { o["id"] = id; o["padding"] = new string('p', length - line.Length); });
    }

    // Returns at most `chunk` bytes per read, as a network or a pipe may.
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
