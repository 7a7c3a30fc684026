using System.Text;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Tests.Interchange;

public sealed class LineBufferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void TryTakeLine_InputInChunks_GivesEveryLineAndTheUnterminatedLastOnlyAtTheEnd(int chunk)
    {
        var input = Encoding.UTF8.GetBytes("first\n\n" + new string('x', 100_000) + "\nlast");
        using var lines = new LineBuffer(initialSize: 16);
        var taken = new List<(string Line, bool Terminated)>();

        for (var offset = 0; ; offset += chunk)
        {
            var read = Math.Max(0, Math.Min(chunk, input.Length - offset));
            var free = lines.FreeSpace();
            read = Math.Min(read, free.Length);
            input.AsSpan(offset, read).CopyTo(free.Span);
            lines.Advance(read);
            while (lines.TryTakeLine(atEnd: read == 0, out var start, out var length, out var terminated, out _))
            {
                taken.Add((Encoding.UTF8.GetString(lines.Buffer, start, length), terminated));
            }

            if (read == 0)
            {
                break;
            }

            offset -= chunk - read;
        }

        Assert.Equal(
            [("first", true), ("", true), (new string('x', 100_000), true), ("last", false)],
            taken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void TryTakeLines_InputInChunks_HandsOverWholeLinesAsBlocksAndTheRestAtTheEnd(int chunk)
    {
        var text = "first\n\n" + new string('x', 1000) + "\nlast";
        var input = Encoding.UTF8.GetBytes(text);
        using var lines = new LineBuffer(initialSize: 16);
        var blocks = new List<string>();

        for (var offset = 0; ; )
        {
            var free = lines.FreeSpace();
            var read = Math.Min(Math.Min(chunk, input.Length - offset), free.Length);
            input.AsSpan(offset, read).CopyTo(free.Span);
            offset += read;
            lines.Advance(read);
            if (lines.TryTakeLines(atEnd: read == 0, out var block, out var length, out _))
            {
                var taken = Encoding.UTF8.GetString(block, 0, length);
                Assert.True(read == 0 || taken.EndsWith('\n'), taken);
                blocks.Add(taken);
                System.Buffers.ArrayPool<byte>.Shared.Return(block);
            }

            if (read == 0)
            {
                break;
            }
        }

        Assert.Equal(text, string.Concat(blocks));
        Assert.Equal("last", blocks[^1][^4..]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(4096)]
    public void TryTakeLine_LinesOverTheLimit_AreDroppedWithTheirLengthAndTheBufferStaysBounded(int chunk)
    {
        // The limit is 100 bytes: a line of exactly 100 is kept, 101 is not; the last one, too long, has no line end.
        var input = Encoding.UTF8.GetBytes("ok\n" + new string('x', 10_000) + "\nafter\n" + new string('z', 100) + "\n" + new string('w', 101) + "\n\n" + new string('y', 250));
        using var lines = new LineBuffer(initialSize: 16, maxLineLength: 100);
        var taken = new List<(string Line, bool Terminated, long Dropped)>();
        var largest = 0;

        for (var offset = 0; ; )
        {
            var free = lines.FreeSpace();
            largest = Math.Max(largest, lines.Buffer.Length);
            var read = Math.Min(Math.Min(chunk, input.Length - offset), free.Length);
            input.AsSpan(offset, read).CopyTo(free.Span);
            offset += read;
            lines.Advance(read);
            while (lines.TryTakeLine(atEnd: read == 0, out var start, out var length, out var terminated, out var dropped))
            {
                taken.Add((Encoding.UTF8.GetString(lines.Buffer, start, length), terminated, dropped));
            }

            if (read == 0)
            {
                break;
            }
        }

        Assert.Equal(
            [("ok", true, 0), ("", true, 10_000), ("after", true, 0), (new string('z', 100), true, 0), ("", true, 101), ("", true, 0), ("", false, 250)],
            taken);
        Assert.True(largest <= 128, $"the buffer grew to {largest} bytes");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void TryTakeLines_LinesOverTheLimit_AreDroppedBetweenBlocksWithTheirLength(int chunk)
    {
        var input = Encoding.UTF8.GetBytes("a\nb\n" + new string('x', 5_000) + "\nc\n" + new string('z', 100) + "\n" + new string('y', 300));
        using var lines = new LineBuffer(initialSize: 16, maxLineLength: 100);
        var taken = new List<string>();

        for (var offset = 0; ; )
        {
            var free = lines.FreeSpace();
            var read = Math.Min(Math.Min(chunk, input.Length - offset), free.Length);
            input.AsSpan(offset, read).CopyTo(free.Span);
            offset += read;
            lines.Advance(read);
            if (lines.TryTakeLines(atEnd: read == 0, out var block, out var length, out var dropped))
            {
                if (dropped > 0)
                {
                    taken.Add($"<{dropped}>");
                }

                if (length > 0)
                {
                    taken.AddRange(Encoding.UTF8.GetString(block, 0, length).TrimEnd('\n').Split('\n'));
                    System.Buffers.ArrayPool<byte>.Shared.Return(block);
                }
                else
                {
                    Assert.Empty(block);
                }
            }

            if (read == 0)
            {
                break;
            }
        }

        Assert.Equal(["a", "b", "<5000>", "c", new string('z', 100), "<300>"], taken);
    }

    // The limit is 100 bytes: a final "\r" is the line end's (access-event/1 removes it before judging the line), so
    // 100 bytes and "\r\n" is kept, 101 bytes and "\r\n" (or "\n") is not and counts 101, and so at the end.
    public static TheoryData<int> Chunks => [1, 3, 101, 102, 103, 4096];

    [Theory]
    [MemberData(nameof(Chunks))]
    public void TryTakeLine_CrLfAfterALineOfExactlyTheLimit_IsKeptAndOneByteMoreIsNot(int chunk)
    {
        var input = Encoding.UTF8.GetBytes(CrLfInput());
        using var lines = new LineBuffer(initialSize: 16, maxLineLength: 100);
        var taken = new List<(string Line, long Dropped)>();

        for (var offset = 0; ; )
        {
            var free = lines.FreeSpace();
            var read = Math.Min(Math.Min(chunk, input.Length - offset), free.Length);
            input.AsSpan(offset, read).CopyTo(free.Span);
            offset += read;
            lines.Advance(read);
            while (lines.TryTakeLine(atEnd: read == 0, out var start, out var length, out _, out var dropped))
            {
                taken.Add((Encoding.UTF8.GetString(lines.Buffer, start, length), dropped));
            }

            if (read == 0)
            {
                break;
            }
        }

        Assert.Equal(CrLfExpected().Select(line => line.StartsWith('<') ? (string.Empty, long.Parse(line[1..^1], System.Globalization.CultureInfo.InvariantCulture)) : (line, 0L)), taken);
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public void TryTakeLines_CrLfAfterALineOfExactlyTheLimit_IsKeptAndOneByteMoreIsNot(int chunk)
    {
        var input = Encoding.UTF8.GetBytes(CrLfInput());
        using var lines = new LineBuffer(initialSize: 16, maxLineLength: 100);
        var taken = new List<string>();

        for (var offset = 0; ; )
        {
            var free = lines.FreeSpace();
            var read = Math.Min(Math.Min(chunk, input.Length - offset), free.Length);
            input.AsSpan(offset, read).CopyTo(free.Span);
            offset += read;
            lines.Advance(read);
            if (lines.TryTakeLines(atEnd: read == 0, out var block, out var length, out var dropped))
            {
                if (dropped > 0)
                {
                    taken.Add($"<{dropped}>");
                }

                if (length > 0)
                {
                    var text = Encoding.UTF8.GetString(block, 0, length);
                    taken.AddRange((text.EndsWith('\n') ? text[..^1] : text).Split('\n'));
                    System.Buffers.ArrayPool<byte>.Shared.Return(block);
                }
            }

            if (read == 0)
            {
                break;
            }
        }

        Assert.Equal(CrLfExpected(), taken);
    }

    private static string CrLfInput() =>
        "ok\r\n" + Repeat('a') + "\r\n" + Repeat('b') + "b\r\n" + Repeat('c') + "c\n" + Repeat('d') + "\r\r\n" + Repeat('e') + "\r\n" + Repeat('f') + "\r";

    // Dropped lines as <length>.
    private static string[] CrLfExpected() =>
        ["ok\r", Repeat('a') + "\r", "<101>", "<101>", "<101>", Repeat('e') + "\r", Repeat('f') + "\r"];

    private static string Repeat(char c) => new(c, 100);
}
