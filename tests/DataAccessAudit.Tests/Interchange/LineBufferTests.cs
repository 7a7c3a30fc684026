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
            while (lines.TryTakeLine(atEnd: read == 0, out var start, out var length, out var terminated))
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
            if (lines.TryTakeLines(atEnd: read == 0, out var block, out var length))
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
}
