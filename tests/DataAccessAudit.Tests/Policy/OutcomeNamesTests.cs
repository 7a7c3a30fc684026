using System.Text;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Tests.Policy;

public sealed class OutcomeNamesTests
{
    [Theory]
    [InlineData(AccessOutcome.Allowed, "allowed")]
    [InlineData(AccessOutcome.Approved, "approved")]
    [InlineData(AccessOutcome.Flagged, "flagged")]
    [InlineData(AccessOutcome.Denied, "denied")]
    public void Format_EachOutcome_GivesStableNameThatParsesBack(AccessOutcome outcome, string name)
    {
        Assert.Equal(name, OutcomeNames.Format(outcome));
        Assert.True(OutcomeNames.TryParse(name, out var parsed));
        Assert.Equal(outcome, parsed);
        Assert.True(OutcomeNames.TryParse(Encoding.UTF8.GetBytes(name), out var parsedUtf8));
        Assert.Equal(outcome, parsedUtf8);
    }

    [Theory]
    [InlineData("Allowed")]
    [InlineData("blocked")]
    [InlineData("")]
    [InlineData("allowed ")]
    public void TryParse_OtherName_IsFalse(string name)
    {
        Assert.False(OutcomeNames.TryParse(name, out _));
        Assert.False(OutcomeNames.TryParse(Encoding.UTF8.GetBytes(name), out _));
    }

    [Fact]
    public void Format_UndefinedOutcome_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OutcomeNames.Format((AccessOutcome)9));
}
