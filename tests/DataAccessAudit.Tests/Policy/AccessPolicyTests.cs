using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Tests.Policy;

// One test (at least) per rule of the project-texas preset (docs/spec/project-texas-policy.md).
public sealed class AccessPolicyTests
{
    private static readonly AccessPolicy Audit = AccessPolicy.ProjectTexas;
    private static readonly AccessPolicy Enforce = AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce);
    private static readonly Duration Tick = Duration.FromTicks(1);

    private static Approval ValidApproval => new("USDS-1") { ApprovedBy = "usds" };

    [Theory]
    [InlineData("US", "US")]
    [InlineData("PR", "US")]
    [InlineData("US", "PR")]
    [InlineData("GU", "VI")]
    [InlineData("UM", "AS")]
    [InlineData("DE", "FR")]
    [InlineData("NO", "IE")]
    [InlineData("IS", "LI")]
    [InlineData("GB", "GB")]
    [InlineData("SG", "SG")]
    public void Evaluate_RequesterInDataHomeJurisdiction_IsAllowedWithoutCrossing(string requester, string data)
    {
        var decision = Audit.Evaluate(Accesses.Of(requester, data));

        Assert.Equal(AccessOutcome.Allowed, decision.Outcome);
        Assert.False(decision.CrossBorder);
        Assert.True(decision.Findings.IsEmpty);
        Assert.Equal("project-texas/1", decision.Policy);
    }

    [Theory]
    [InlineData("SG", "US")]
    [InlineData("GB", "IE")]
    [InlineData("US", "DE")]
    [InlineData("DE", "US")]
    [InlineData("GB", "US")]
    [InlineData("JP", "SG")]
    [InlineData("CH", "DE")]
    public void Evaluate_ProtectedFromOutsideHomeWithoutApproval_FlagsCrossBorderProtectedAccess(string requester, string data)
    {
        var decision = Audit.Evaluate(Accesses.Of(requester, data));

        Assert.Equal(AccessOutcome.Flagged, decision.Outcome);
        Assert.True(decision.CrossBorder);
        Assert.Equal([Finding.CrossBorderProtectedAccess], decision.Findings);
        Assert.Equal(AccessOutcome.Denied, Enforce.Evaluate(Accesses.Of(requester, data)).Outcome);
    }

    [Fact]
    public void Evaluate_ProtectedFromOutsideHomeWithValidApproval_IsApproved()
    {
        var access = Accesses.Of("SG", "US", approval: ValidApproval);

        var audit = Audit.Evaluate(access);
        var enforce = Enforce.Evaluate(access);

        Assert.Equal(AccessOutcome.Approved, audit.Outcome);
        Assert.True(audit.CrossBorder);
        Assert.True(audit.Findings.IsEmpty);
        Assert.Equal(audit.Outcome, enforce.Outcome);
    }

    [Fact]
    public void Evaluate_ApprovalWithinHome_IsAllowedNotApproved()
    {
        var decision = Audit.Evaluate(Accesses.Of("US", "US", approval: ValidApproval));

        Assert.Equal(AccessOutcome.Allowed, decision.Outcome);
        Assert.False(decision.CrossBorder);
    }

    [Theory]
    [InlineData("SG")]
    [InlineData("CN")]
    public void Evaluate_ExceptedDataCrossingWithValidApproval_IsAllowedNotApproved(string requester)
    {
        foreach (var category in new[] { Taxonomy.Public, Taxonomy.Interoperability })
        {
            var access = Accesses.Of(requester, "US", category, approval: ValidApproval);

            var audit = Audit.Evaluate(access);
            var enforce = Enforce.Evaluate(access);

            Assert.Equal(AccessOutcome.Allowed, audit.Outcome);
            Assert.Equal(AccessOutcome.Allowed, enforce.Outcome);
            Assert.True(audit.CrossBorder);
            Assert.True(audit.Findings.IsEmpty);
        }
    }

    public static TheoryData<string, Instant?, Instant?, bool> ApprovalWindows() => new()
    {
        { "no bounds", null, null, true },
        { "from exactly the access", Accesses.Time, null, true },
        { "from one tick after the access", Accesses.Time + Tick, null, false },
        { "from one tick before the access", Accesses.Time - Tick, null, true },
        { "until exactly the access", null, Accesses.Time, true },
        { "until one tick before the access", null, Accesses.Time - Tick, false },
        { "until one tick after the access", null, Accesses.Time + Tick, true },
        { "window of one instant, the access", Accesses.Time, Accesses.Time, true },
        { "window that ended", Accesses.Time - Duration.FromDays(30), Accesses.Time - Duration.FromDays(1), false },
        { "window not yet begun", Accesses.Time + Duration.FromDays(1), Accesses.Time + Duration.FromDays(30), false },
    };

    [Theory]
    [MemberData(nameof(ApprovalWindows))]
    public void Evaluate_ApprovalWindow_CoversTheAccessOnlyWithinItsInclusiveBounds(string window, Instant? from, Instant? until, bool valid)
    {
        var approval = new Approval("USDS-2") { ValidFrom = from, ValidUntil = until };
        var access = Accesses.Of("SG", "US", approval: approval);

        var audit = Audit.Evaluate(access);
        var enforce = Enforce.Evaluate(access);

        Assert.True(valid == approval.IsValidAt(Accesses.Time), window);
        Assert.Equal(valid ? AccessOutcome.Approved : AccessOutcome.Flagged, audit.Outcome);
        Assert.Equal(valid ? AccessOutcome.Approved : AccessOutcome.Denied, enforce.Outcome);
        Assert.Equal(!valid, audit.Findings.Contains(Finding.CrossBorderProtectedAccess));
    }

    [Theory]
    [InlineData("CN")]
    [InlineData("HK")]
    [InlineData("MO")]
    [InlineData("RU")]
    [InlineData("IR")]
    [InlineData("KP")]
    [InlineData("CU")]
    [InlineData("VE")]
    public void Evaluate_ProtectedFromCountryOfConcernWithoutApproval_FlagsBothFindings(string requester)
    {
        var decision = Audit.Evaluate(Accesses.Of(requester, "US", storedIn: "US"));

        Assert.Equal(AccessOutcome.Flagged, decision.Outcome);
        Assert.True(decision.CrossBorder);
        Assert.Equal(FindingSet.Create([Finding.CountryOfConcernAccess, Finding.CrossBorderProtectedAccess]), decision.Findings);
        Assert.Equal(AccessOutcome.Denied, Enforce.Evaluate(Accesses.Of(requester, "US")).Outcome);
    }

    [Fact]
    public void Evaluate_ProtectedFromCountryOfConcernWithValidApproval_IsApprovedButStillReported()
    {
        var access = Accesses.Of("CN", "US", approval: ValidApproval);

        var audit = Audit.Evaluate(access);
        var enforce = Enforce.Evaluate(access);

        Assert.Equal(AccessOutcome.Approved, audit.Outcome);
        Assert.Equal(AccessOutcome.Approved, enforce.Outcome);
        Assert.Equal([Finding.CountryOfConcernAccess], audit.Findings);
        Assert.True(audit.CrossBorder);
    }

    // The contract is literal: country-of-concern-access needs only "protected" and a requester in a country of
    // concern, regardless of the border. CN is its own home, so CN staff reading CN people's protected data do
    // not cross a border, yet the access is reported and (without approval) flagged, or denied in enforce mode.
    [Fact]
    public void Evaluate_CountryOfConcernReadingItsOwnProtectedData_IsFlaggedWithoutCrossingAsTheContractSays()
    {
        var audit = Audit.Evaluate(Accesses.Of("CN", "CN", storedIn: "CN"));
        var enforce = Enforce.Evaluate(Accesses.Of("CN", "CN", storedIn: "CN"));

        Assert.False(audit.CrossBorder);
        Assert.Equal([Finding.CountryOfConcernAccess], audit.Findings);
        Assert.Equal(AccessOutcome.Flagged, audit.Outcome);
        Assert.Equal(AccessOutcome.Denied, enforce.Outcome);
    }

    [Fact]
    public void Evaluate_CountryOfConcernReadingItsOwnProtectedDataWithApproval_IsAllowedAndStillReported()
    {
        var decision = Enforce.Evaluate(Accesses.Of("CN", "CN", approval: ValidApproval));

        Assert.False(decision.CrossBorder);
        Assert.Equal([Finding.CountryOfConcernAccess], decision.Findings);
        Assert.Equal(AccessOutcome.Allowed, decision.Outcome);
    }

    [Theory]
    [InlineData("CN")]
    [InlineData("RU")]
    public void Evaluate_PublicOrInteroperabilityFromCountryOfConcern_IsAllowedCrossingWithoutFinding(string requester)
    {
        foreach (var category in new[] { Taxonomy.Public, Taxonomy.Interoperability })
        {
            var decision = Enforce.Evaluate(Accesses.Of(requester, "US", category, storedIn: "SG"));

            Assert.Equal(AccessOutcome.Allowed, decision.Outcome);
            Assert.True(decision.CrossBorder);
            Assert.True(decision.Findings.IsEmpty);
        }
    }

    [Theory]
    [InlineData("SG")]
    [InlineData("CN")]
    [InlineData("GB")]
    [InlineData("ZZ")]
    public void Evaluate_ProtectedServedOutsideHome_FindsStoredOutsideHomeJurisdiction(string storedIn)
    {
        var decision = Audit.Evaluate(Accesses.Of("US", "US", storedIn: storedIn));

        Assert.Equal(AccessOutcome.Flagged, decision.Outcome);
        Assert.False(decision.CrossBorder);
        Assert.Equal([Finding.StoredOutsideHomeJurisdiction], decision.Findings);
        Assert.Equal(AccessOutcome.Denied, Enforce.Evaluate(Accesses.Of("US", "US", storedIn: storedIn)).Outcome);
    }

    [Theory]
    [InlineData("US", "PR")]
    [InlineData("PR", "US")]
    [InlineData("DE", "IE")]
    public void Evaluate_ProtectedServedWithinHomeJurisdiction_HasNoStorageFinding(string data, string storedIn)
    {
        var decision = Audit.Evaluate(Accesses.Of(data, data, storedIn: storedIn));

        Assert.Equal(AccessOutcome.Allowed, decision.Outcome);
        Assert.True(decision.Findings.IsEmpty);
    }

    [Fact]
    public void Evaluate_ApprovedCrossingServedOutsideHome_StorageFindingStillFlagsAndDenies()
    {
        var access = Accesses.Of("CN", "US", storedIn: "SG", approval: ValidApproval);

        var audit = Audit.Evaluate(access);

        Assert.Equal(FindingSet.Create([Finding.CountryOfConcernAccess, Finding.StoredOutsideHomeJurisdiction]), audit.Findings);
        Assert.Equal(AccessOutcome.Flagged, audit.Outcome);
        Assert.Equal(AccessOutcome.Denied, Enforce.Evaluate(access).Outcome);
    }

    [Fact]
    public void Evaluate_UnknownRequesterOnProtected_IsCrossingWithBothFindings()
    {
        var decision = Audit.Evaluate(Accesses.Of("ZZ", "US"));

        Assert.True(decision.CrossBorder);
        Assert.Equal(FindingSet.Create([Finding.UnknownRequesterRegion, Finding.CrossBorderProtectedAccess]), decision.Findings);
        Assert.Equal(AccessOutcome.Flagged, decision.Outcome);
        Assert.Equal(AccessOutcome.Denied, Enforce.Evaluate(Accesses.Of("ZZ", "US")).Outcome);
    }

    [Fact]
    public void Evaluate_UnknownRequesterWithValidApproval_StillFlaggedByUnknownRegion()
    {
        var decision = Enforce.Evaluate(Accesses.Of("ZZ", "US", approval: ValidApproval));

        Assert.Equal([Finding.UnknownRequesterRegion], decision.Findings);
        Assert.Equal(AccessOutcome.Denied, decision.Outcome);
    }

    [Fact]
    public void Evaluate_UnknownRequesterOnPublicOrInteroperability_IsFlaggedButNeverDenied()
    {
        foreach (var category in new[] { Taxonomy.Public, Taxonomy.Interoperability })
        {
            var audit = Audit.Evaluate(Accesses.Of("ZZ", "US", category));
            var enforce = Enforce.Evaluate(Accesses.Of("ZZ", "US", category));

            Assert.True(audit.CrossBorder);
            Assert.Equal([Finding.UnknownRequesterRegion], audit.Findings);
            Assert.Equal(AccessOutcome.Flagged, audit.Outcome);
            Assert.Equal(AccessOutcome.Flagged, enforce.Outcome);
        }
    }

    [Fact]
    public void IsCrossBorder_UnknownDataRegion_FailsClosedAsCrossing()
    {
        // No event can hold an unknown home (AccessedResource refuses it), but the question stays answerable.
        Assert.True(Audit.IsCrossBorder(Region.Parse("US"), Region.Unknown));
        Assert.True(Audit.IsCrossBorder(Region.Unknown, Region.Unknown));
    }

    [Fact]
    public void Evaluate_LowerCaseRegionsInAnEvent_DecideAsUpperCase()
    {
        var line = """{"schema":"access-event/1","id":"lc","time":"2021-09-14T07:31:02Z","requester":{"id":"p","region":"cn"},"resource":{"id":"r","category":"protected","region":"us","storedIn":"sg"},"action":"read"}""";

        var decision = Audit.Evaluate(DataAccessAudit.Interchange.AccessEventJson.Parse(line).Event);

        Assert.Equal(Audit.Evaluate(Accesses.Of("CN", "US", storedIn: "SG")), decision);
        Assert.Equal(3, decision.Findings.Count);
    }

    [Theory]
    [InlineData("US", "US", new[] { "unknown-data-category" })]
    [InlineData("SG", "US", new[] { "unknown-data-category", "cross-border-protected-access" })]
    [InlineData("CN", "US", new[] { "unknown-data-category", "cross-border-protected-access", "country-of-concern-access" })]
    public void Evaluate_CategoryNotInTaxonomy_FailsClosedAsProtectedWithUnknownDataCategory(string requester, string data, string[] findings)
    {
        foreach (var category in new[] { new DataCategory("secret"), new DataCategory("Protected") })
        {
            var audit = Audit.Evaluate(Accesses.Of(requester, data, category));
            var enforce = Enforce.Evaluate(Accesses.Of(requester, data, category));

            Assert.Equal(FindingSet.Create(findings.Select(f => new Finding(f))), audit.Findings);
            Assert.Equal(AccessOutcome.Flagged, audit.Outcome);
            Assert.Equal(AccessOutcome.Denied, enforce.Outcome);
        }
    }

    [Fact]
    public void Evaluate_UnknownCategoryServedOutsideHome_FindsStorageAsForProtected()
    {
        var decision = Audit.Evaluate(Accesses.Of("US", "US", new DataCategory("secret"), storedIn: "SG"));

        Assert.Equal(FindingSet.Create([Finding.UnknownDataCategory, Finding.StoredOutsideHomeJurisdiction]), decision.Findings);
    }

    [Fact]
    public void Evaluate_NullEvent_Throws() =>
        Assert.Throws<ArgumentNullException>(() => Audit.Evaluate(null!));

    [Fact]
    public void WithMode_SameMode_ReturnsSamePolicyAndOtherModeACopy()
    {
        Assert.Same(Audit, Audit.WithMode(PolicyMode.Audit));
        Assert.Equal(PolicyMode.Enforce, Enforce.Mode);
        Assert.Equal(Audit.Id, Enforce.Id);
        Assert.Same(Audit.Taxonomy, Enforce.Taxonomy);
        Assert.Equal("project-texas/1 (Enforce)", Enforce.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Audit.WithMode((PolicyMode)7));
    }

    [Fact]
    public void ProjectTexas_Always_IsTheDocumentedPreset()
    {
        Assert.Equal("project-texas", Audit.Name);
        Assert.Equal("1", Audit.Version);
        Assert.Equal(PolicyMode.Audit, Audit.Mode);
        Assert.Same(Taxonomy.ProjectTexas, Audit.Taxonomy);
        Assert.Equal(["US", "EEA"], Audit.HomeJurisdictions.Select(j => j.Name));
        Assert.Same(Jurisdiction.CountriesOfConcern, Audit.CountriesOfConcern);
    }

    [Theory]
    [InlineData("PR", "US")]
    [InlineData("US", "US")]
    [InlineData("NO", "EEA")]
    [InlineData("GB", null)]
    [InlineData("CN", null)]
    [InlineData("ZZ", null)]
    public void HomeJurisdictionOf_Region_IsTheFirstHomeThatContainsIt(string region, string? home) =>
        Assert.Equal(home, Audit.HomeJurisdictionOf(Region.Parse(region))?.Name);

    [Fact]
    public void Evaluate_UserDefinedHomeJurisdiction_IsHomeToItsMembers()
    {
        var apac = new Jurisdiction("APAC", [Region.Parse("SG"), Region.Parse("JP")]);
        var policy = new AccessPolicy("apac", "2", Taxonomy.ProjectTexas, [apac], countriesOfConcern: null);

        Assert.False(policy.Evaluate(Accesses.Of("SG", "JP")).CrossBorder);
        Assert.True(policy.Evaluate(Accesses.Of("SG", "US")).CrossBorder);
        Assert.True(policy.Evaluate(Accesses.Of("CN", "CN")).Findings.IsEmpty);
        Assert.Equal("apac/2", policy.Evaluate(Accesses.Of("SG", "JP")).Policy);
    }

    [Fact]
    public void Evaluate_OverlappingHomeJurisdictions_FirstOneWins()
    {
        var first = new Jurisdiction("A", [Region.Parse("US"), Region.Parse("CA")]);
        var second = new Jurisdiction("B", [Region.Parse("CA"), Region.Parse("MX")]);
        var policy = new AccessPolicy("overlap", "1", Taxonomy.ProjectTexas, [first, second], null);

        Assert.Equal("A", policy.HomeJurisdictionOf(Region.Parse("CA"))?.Name);
        Assert.False(policy.Evaluate(Accesses.Of("US", "CA")).CrossBorder);
        Assert.True(policy.Evaluate(Accesses.Of("MX", "CA")).CrossBorder);
    }

    [Fact]
    public void Evaluate_OverlappingHomeJurisdictions_TestsEachRegionAgainstTheDataHomesRegions()
    {
        // IE is in both homes; its own home is the first (UK-IE), but data at home in FR is at home in the EEA, which
        // IE lies in: the contract's "outside the home jurisdiction of resource.region" is a membership test.
        var ukIe = new Jurisdiction("UK-IE", [Region.Parse("GB"), Region.Parse("IE")]);
        var policy = new AccessPolicy("overlap", "1", Taxonomy.ProjectTexas, [ukIe, Jurisdiction.EuropeanEconomicArea], null);

        var ieReadsFrenchData = policy.Evaluate(Accesses.Of("IE", "FR"));
        Assert.False(ieReadsFrenchData.CrossBorder);
        Assert.True(ieReadsFrenchData.Findings.IsEmpty);
        Assert.True(policy.Evaluate(Accesses.Of("FR", "IE")).CrossBorder);
        Assert.True(policy.Evaluate(Accesses.Of("GB", "FR")).CrossBorder);

        Assert.False(policy.IsStoredOutsideHome(Region.Parse("FR"), Region.Parse("IE")));
        Assert.True(policy.Evaluate(Accesses.Of("FR", "FR", storedIn: "IE")).Findings.IsEmpty);
        Assert.True(policy.IsStoredOutsideHome(Region.Parse("IE"), Region.Parse("FR")));
        Assert.True(policy.IsStoredOutsideHome(Region.Parse("FR"), Region.Unknown));
    }

    [Fact]
    public void Constructor_HomeJurisdictionNamedTwice_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => new AccessPolicy(
            "dup", "1", Taxonomy.ProjectTexas, [Jurisdiction.UnitedStates, new Jurisdiction("US", [Region.Parse("CA")])], null));

        Assert.Contains("'US'", exception.Message, StringComparison.Ordinal);
    }
}
