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
}
