using System.Buffers;
using System.Text;
using DataAccessAudit.Reporting.Sources;

namespace DataAccessAudit.Reporting.Tests.Sources;

public sealed class EventLineBlocksTests
{
    private static readonly string Chain = ",\"chain\":\"" + new string('a', 64) + "\"}";

    [Fact]
    public void Append_EventLineOfTheLog_GathersTheEventWithoutTheLogsSeqAndChain()
    {
        var text = Gather(("{\"schema\":\"access-event/1\",\"id\":\"e-1\",\"seq\":12" + Chain, true), ("{\"schema\":\"access-event/1\",\"id\":\"e-2\",\"seq\":13" + Chain, true));

        Assert.Equal("{\"schema\":\"access-event/1\",\"id\":\"e-1\"}\n{\"schema\":\"access-event/1\",\"id\":\"e-2\"}\n", text);
    }

    [Fact]
    public void Append_LineNotReadAsAnEvent_GathersItAsWritten()
    {
        var line = "{\"schema\":\"access-event/1\",\"id\":[1,2,\"seq\":12" + Chain;

        Assert.Equal(line + "\n", Gather((line, false)));
    }

    [Theory]
    [InlineData("{\"schema\":\"access-event/1\",\"id\":\"e-1\"}")]
    [InlineData("{\"schema\":\"access-event/1\",\"id\":\"e-1\",\"seq\":-1,\"chain\":\"aa\"}")]
    [InlineData("{\"seq\":12,\"chain\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}")]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":1.5,\"chain\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}")]
    public void Append_EventLineWithoutTheLogsSuffix_GathersItAsWritten(string line) =>
        Assert.Equal(line + "\n", Gather((line, true)));

    private static string Gather(params (string Line, bool IsEvent)[] lines)
    {
        var blocks = new List<LineBlock>();
        using (var gather = new EventLineBlocks(blocks.Add, progress: null))
        {
            var number = 1;
            foreach (var (line, isEvent) in lines)
            {
                gather.Append(Encoding.UTF8.GetBytes(line), "segment", number++, isEvent);
            }

            gather.Flush();
        }

        var text = string.Concat(blocks.Select(block => Encoding.UTF8.GetString(block.Bytes, 0, block.Length)));
        foreach (var block in blocks)
        {
            ArrayPool<byte>.Shared.Return(block.Bytes);
        }

        return text;
    }
}
