using DataAccessAudit.Policy;

namespace DataAccessAudit.Tests.Policy;

public sealed class FindingSetTests
{
    [Fact]
    public void Empty_Always_HasNothing()
    {
        Assert.True(FindingSet.Empty.IsEmpty);
        Assert.Empty(FindingSet.Empty);
        Assert.Equal(string.Empty, FindingSet.Empty.ToString());
        Assert.False(FindingSet.Empty.Contains(Finding.CrossBorderProtectedAccess));
    }

    [Fact]
    public void Add_SameFindingTwice_KeepsItOnce()
    {
        var custom = new Finding("vendor-specific");
        var set = FindingSet.Empty.Add(Finding.UnknownRequesterRegion).Add(Finding.UnknownRequesterRegion).Add(custom).Add(new Finding("vendor-specific"));

        Assert.Equal(2, set.Count);
        Assert.True(set.Contains(Finding.UnknownRequesterRegion));
        Assert.True(set.Contains(custom));
        Assert.False(set.IsEmpty);
    }

    [Fact]
    public void CollectionExpression_Findings_BuildsTheSet()
    {
        FindingSet set = [Finding.CountryOfConcernAccess, new Finding("x"), Finding.CountryOfConcernAccess];

        Assert.Equal(2, set.Count);
        Assert.True(set.Contains(Finding.CountryOfConcernAccess));
        Assert.True(set.Contains(new Finding("x")));
    }

    [Fact]
    public void Add_FindingWithoutName_Throws() =>
        Assert.Throws<ArgumentException>(() => FindingSet.Empty.Add(default));

    [Fact]
    public void Enumerate_Always_GivesBuiltInsInFixedOrderThenOthersInAddedOrder()
    {
        var set = FindingSet.Create(
        [
            new Finding("zeta"),
            Finding.UnknownDataCategory,
            Finding.CountryOfConcernAccess,
            new Finding("alpha"),
            Finding.CrossBorderProtectedAccess,
        ]);

        Assert.Equal(
            ["cross-border-protected-access", "country-of-concern-access", "unknown-data-category", "zeta", "alpha"],
            set.Select(f => f.Name));
        Assert.Equal("cross-border-protected-access, country-of-concern-access, unknown-data-category, zeta, alpha", set.ToString());
    }

    [Fact]
    public void Equals_SameFindingsInAnyOrder_IsEqualWithEqualHash()
    {
        var left = FindingSet.Create([new Finding("x"), Finding.StoredOutsideHomeJurisdiction, new Finding("y")]);
        var right = FindingSet.Create([new Finding("y"), new Finding("x"), new Finding("stored-outside-home-jurisdiction")]);

        Assert.Equal(left, right);
        Assert.True(left == right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.True(left.Equals((object)right));
    }

    [Fact]
    public void Equals_DifferentFindings_IsNotEqual()
    {
        Assert.NotEqual(FindingSet.Create([new Finding("x")]), FindingSet.Create([new Finding("y")]));
        Assert.True(FindingSet.Create([Finding.CountryOfConcernAccess]) != FindingSet.Create([Finding.UnknownRequesterRegion]));
        Assert.NotEqual(FindingSet.Create([new Finding("x")]), FindingSet.Create([new Finding("x"), new Finding("y")]));
        Assert.False(FindingSet.Empty.Equals((object)"x"));
    }

    [Fact]
    public void ContainsOtherThan_OnlyThatFinding_IsFalse()
    {
        var concern = FindingSet.Create([Finding.CountryOfConcernAccess]);

        Assert.False(concern.ContainsOtherThan(Finding.CountryOfConcernAccess));
        Assert.True(concern.ContainsOtherThan(Finding.UnknownRequesterRegion));
        Assert.True(concern.Add(new Finding("other")).ContainsOtherThan(Finding.CountryOfConcernAccess));
        Assert.False(FindingSet.Empty.ContainsOtherThan(Finding.CountryOfConcernAccess));
    }

    [Fact]
    public void Finding_BuiltInName_EqualsTheStatic()
    {
        Assert.Equal(Finding.CrossBorderProtectedAccess, new Finding("cross-border-protected-access"));
        Assert.Equal("unknown-requester-region", Finding.UnknownRequesterRegion.ToString());
        Assert.True(new Finding("a") != new Finding("A"));
        Assert.Throws<ArgumentException>(() => new Finding(" "));
    }

    [Fact]
    public void Enumerator_Reset_StartsAgain()
    {
        var enumerator = FindingSet.Create([Finding.CountryOfConcernAccess, new Finding("x")]).GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.True(enumerator.MoveNext());
        Assert.False(enumerator.MoveNext());

        enumerator.Reset();

        Assert.True(enumerator.MoveNext());
        Assert.Equal(Finding.CountryOfConcernAccess, enumerator.Current);
    }
}
