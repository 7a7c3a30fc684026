using DataAccessAudit.Policy;

namespace DataAccessAudit.Tests.Policy;

public sealed class AccessPolicyPresetsTests
{
    [Fact]
    public void TryGet_EveryName_GivesThePresetOfThatName()
    {
        Assert.Equal([AccessPolicyPresets.ProjectTexasName], AccessPolicyPresets.Names);
        Assert.True(AccessPolicyPresets.TryGet(AccessPolicyPresets.ProjectTexasName, out var policy));
        Assert.Same(AccessPolicy.ProjectTexas, policy);
    }

    [Theory]
    [InlineData("Project-Texas")]
    [InlineData("project-texas/1")]
    [InlineData("")]
    [InlineData(null)]
    public void TryGet_OtherName_IsFalse(string? name)
    {
        Assert.False(AccessPolicyPresets.TryGet(name, out var policy));
        Assert.Null(policy);
    }
}
