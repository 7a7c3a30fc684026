using DataAccessAudit.Recording;

namespace DataAccessAudit.Tests.Recording;

public sealed class AccessDetailsTests
{
    [Fact]
    public void Subjects_Unset_IsTheNumberOfSubjectKeysOrOne()
    {
        Assert.Equal(1, default(AccessDetails).Subjects);
        Assert.Equal(3, new AccessDetails { SubjectKeys = ["k1", "k2", "k3"] }.Subjects);
        Assert.Equal(1, new AccessDetails { SubjectKeys = [] }.Subjects);
    }

    [Fact]
    public void Subjects_Set_WinsOverTheKeys()
    {
        Assert.Equal(10, new AccessDetails { SubjectKeys = ["k1"], Subjects = 10 }.Subjects);
    }
}
