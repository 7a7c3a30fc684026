using System.Text;
using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

// The tree's readers check each record's sequence number by the bytes the writer ends a line with; any other line
// must fall through to reading its members, never pass for another number.
public sealed class LogFormatSeqTests
{
    private const string Chain = ",\"chain\":\"0e86c423410282206a2d99d6748601465de4c7616cec03afe51843dc7f8bd3e2\"}";

    [Theory]
    [InlineData("{\"schema\":\"access-event/1\",\"id\":\"e\",\"seq\":25801", 25801, true)]
    [InlineData("{\"schema\":\"access-log/1\",\"type\":\"gap\",\"seq\":1", 1, true)]
    [InlineData("{\"schema\":\"access-event/1\",\"id\":\"e\",\"seq\":125801", 25801, false)] // another number ending alike
    [InlineData("{\"schema\":\"access-event/1\",\"id\":\"e\",\"seq\":25801", 25802, false)]
    [InlineData("{\"schema\":\"access-event/1\",\"id\":\"e\",\"seq\": 25801", 25801, false)] // spaced: read by members
    [InlineData("{\"schema\":\"access-event/1\",\"id\":\"e\",\"xseq\":25801", 25801, false)]
    [InlineData("{\"schema\":\"access-event/1\",\"id\":\"e\",\"seq\":\"25801\"", 25801, false)]
    public void EndsWithSeq_OnlyTheWritersEndingOfThatNumber(string body, long seq, bool expected)
    {
        Assert.Equal(expected, LogFormat.EndsWithSeq(Encoding.UTF8.GetBytes(body + Chain), seq));
    }

    [Fact]
    public void EndsWithSeq_LineWithoutTheChainMember_IsLeftToTheReader()
    {
        Assert.False(LogFormat.EndsWithSeq("{\"seq\":1}"u8, 1));
    }
}
