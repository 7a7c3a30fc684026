using System.Text;
using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class ResourceIdHashTests
{
    [Theory]
    [InlineData("user/8812/messages")]
    [InlineData("ü/ß/日本")]
    [InlineData("")]
    [InlineData("a-very-long-resource-id-that-spans-several-eight-byte-words-and-a-tail")]
    public void Of_StringAndItsUtf8_GiveSameHash(string id)
    {
        Assert.Equal(ResourceIdHash.Of(Encoding.UTF8.GetBytes(id)), ResourceIdHash.Of(id));
    }

    [Fact]
    public void Of_LongId_UsesPooledBufferAndAgrees()
    {
        var id = new string('x', 5000) + "é";

        Assert.Equal(ResourceIdHash.Of(Encoding.UTF8.GetBytes(id)), ResourceIdHash.Of(id));
    }

    [Fact]
    public void Of_IdsDifferingInOneCharacter_Differ()
    {
        Assert.NotEqual(ResourceIdHash.Of("user/1/messages"), ResourceIdHash.Of("user/2/messages"));
    }
}
