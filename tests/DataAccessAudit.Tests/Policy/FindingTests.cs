using System.Text;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Tests.Policy;

public sealed class FindingTests
{
    public static TheoryData<string> BuiltInNames() =>
    [
        Finding.CrossBorderProtectedAccess.Name,
        Finding.UnknownRequesterRegion.Name,
        Finding.CountryOfConcernAccess.Name,
        Finding.StoredOutsideHomeJurisdiction.Name,
        Finding.UnknownDataCategory.Name,
    ];

    [Theory]
    [MemberData(nameof(BuiltInNames))]
    public void TryGetBuiltIn_NameOfABuiltInFinding_GivesThatFinding(string name)
    {
        Assert.True(Finding.TryGetBuiltIn(Encoding.UTF8.GetBytes(name), out var finding));

        Assert.Equal(new Finding(name), finding);
        Assert.True(finding.BuiltInIndex >= 0);
    }

    [Theory]
    [InlineData("custom-finding")]
    [InlineData("Cross-Border-Protected-Access")]
    [InlineData("")]
    public void TryGetBuiltIn_OtherName_IsFalse(string name)
    {
        Assert.False(Finding.TryGetBuiltIn(Encoding.UTF8.GetBytes(name), out _));
    }
}
