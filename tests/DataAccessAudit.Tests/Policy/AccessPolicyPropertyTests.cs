using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace DataAccessAudit.Tests.Policy;

// Properties of the evaluator over generated events: every region (Unknown included), every category (and
// unknown ones), with and without storage regions and approvals whose windows straddle the access.
public sealed class AccessPolicyPropertyTests
{
    private static readonly AccessPolicy[] Policies =
    [
        AccessPolicy.ProjectTexas,
        AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce),
        new AccessPolicy(
            "custom",
            "1",
            Taxonomy.ProjectTexas,
            [new Jurisdiction("APAC", [Region.Parse("SG"), Region.Parse("JP"), Region.Parse("US")]), Jurisdiction.UnitedStates],
            new Jurisdiction("watched", [Region.Parse("SG")]),
            PolicyMode.Enforce),
    ];

    // Half of the regions come from the policies' home jurisdictions, so that overlapping homes and their edges are met
    // in most runs rather than in a few among some 250 regions.
    private static Gen<Region> RegionGen { get; } = Gen.Frequency(
        (1, Gen.Constant(Region.Unknown)),
        (6, Gen.Elements(Region.All.ToArray())),
        (6, Gen.Elements(Policies.SelectMany(p => p.HomeJurisdictions).SelectMany(j => j.Regions).Distinct().ToArray())));

    private static Gen<DataCategory> CategoryGen { get; } = Gen.Elements(
        Taxonomy.Protected, Taxonomy.Public, Taxonomy.Interoperability, new DataCategory("secret"));

    private static Gen<Instant?> BoundGen { get; } =
        from present in Gen.Elements(true, false)
        from offsetSeconds in Gen.Choose(-3, 3)
        select present ? Accesses.Time + Duration.FromSeconds(offsetSeconds) : (Instant?)null;

    private static Gen<Approval?> ApprovalGen { get; } =
        from present in Gen.Elements(true, false)
        from validFrom in BoundGen
        from validUntil in BoundGen
        select present ? new Approval("A-1") { ValidFrom = validFrom, ValidUntil = validUntil } : null;

    private static Arbitrary<(AccessPolicy Policy, AccessEvent Event)> Cases { get; } = Arb.From(
        from policy in Gen.Elements(Policies)
        from requester in RegionGen
        from data in RegionGen.Where(r => !r.IsUnknown)
        from stored in Gen.OneOf(Gen.Constant((Region?)null), RegionGen.Select(r => (Region?)r))
        from category in CategoryGen
        from approval in ApprovalGen
        select (policy, new AccessEvent(
            "e",
            Accesses.Time,
            new Requester("r", requester),
            new AccessedResource("x", category, data) { StoredIn = stored },
            "read")
        {
            Approval = approval,
        }));

    [Property(MaxTest = 2000)]
    public Property Evaluate_AnyValidEvent_NeverThrowsAndGivesOneDefinedOutcome() =>
        Prop.ForAll(Cases, c =>
        {
            var decision = c.Policy.Evaluate(c.Event);
            return Enum.IsDefined(decision.Outcome) && decision.Policy == c.Policy.Id;
        });

    [Property(MaxTest = 2000)]
    public Property Evaluate_AnyEvent_CrossesExactlyWhenTheRequesterIsNotKnownToBeInTheDataHome() =>
        Prop.ForAll(Cases, c =>
        {
            var requester = c.Event.Requester.Region;
            var data = c.Event.Resource.Region;
            return c.Policy.Evaluate(c.Event).CrossBorder == !InsideDataHome(c.Policy, data, requester);
        });

    [Property(MaxTest = 2000)]
    public Property IsCrossBorder_AnyTwoRegions_FollowsTheDataHome() =>
        Prop.ForAll(Arb.From(from policy in Gen.Elements(Policies) from a in RegionGen from b in RegionGen select (policy, a, b)), c =>
            c.policy.IsCrossBorder(c.a, c.b) == !InsideDataHome(c.policy, c.b, c.a));

    // Crossing is symmetric only while no region lies in two home jurisdictions, as in the preset (US and EEA): with
    // overlapping homes, whose data it is decides.
    [Property(MaxTest = 2000)]
    public Property IsCrossBorder_AnyTwoRegions_IsSymmetricWithoutOverlappingHomes() =>
        Prop.ForAll(Arb.From(from policy in Gen.Elements(Policies[0], Policies[1]) from a in RegionGen from b in RegionGen select (policy, a, b)), c =>
            c.policy.IsCrossBorder(c.a, c.b) == c.policy.IsCrossBorder(c.b, c.a));

    [Fact]
    public void IsCrossBorder_OverlappingHomes_DependsOnWhoseDataItIs()
    {
        // US is in the custom policy's first home (APAC), PR only in its second (the United States): staff in the US
        // read PR's data at home, while staff in PR reading US data (at home in APAC) cross.
        var custom = Policies[2];
        Assert.False(custom.IsCrossBorder(requesterRegion: Region.Parse("US"), dataRegion: Region.Parse("PR")));
        Assert.True(custom.IsCrossBorder(requesterRegion: Region.Parse("PR"), dataRegion: Region.Parse("US")));
    }

    [Property(MaxTest = 2000)]
    public Property Evaluate_AnyEvent_DeniesOnlyInEnforceModeAndOnlyProtectedData() =>
        Prop.ForAll(Cases, c =>
        {
            var decision = c.Policy.Evaluate(c.Event);
            var isProtected = !c.Policy.Taxonomy.TryGetRule(c.Event.Resource.Category, out var rule) || rule == CrossBorderRule.RequiresApproval;
            return decision.Outcome != AccessOutcome.Denied || (c.Policy.Mode == PolicyMode.Enforce && isProtected);
        });

    [Property(MaxTest = 2000)]
    public Property Evaluate_AnyEvent_OutcomeFollowsFindingsAndApproval() =>
        Prop.ForAll(Cases, c =>
        {
            var decision = c.Policy.Evaluate(c.Event);
            var approved = c.Event.Approval?.IsValidAt(c.Event.Time) ?? false;
            var isProtected = !c.Policy.Taxonomy.TryGetRule(c.Event.Resource.Category, out var rule) || rule == CrossBorderRule.RequiresApproval;
            var blocking = approved ? decision.Findings.ContainsOtherThan(Finding.CountryOfConcernAccess) : !decision.Findings.IsEmpty;
            var enforceMode = c.Policy.WithMode(PolicyMode.Enforce).Evaluate(c.Event).Outcome;
            var auditMode = c.Policy.WithMode(PolicyMode.Audit).Evaluate(c.Event).Outcome;
            return decision.Outcome switch
            {
                AccessOutcome.Allowed => !blocking && !(isProtected && decision.CrossBorder && approved),
                AccessOutcome.Approved => !blocking && isProtected && decision.CrossBorder && approved,
                AccessOutcome.Flagged => blocking,
                AccessOutcome.Denied => blocking,
                _ => false,
            } && auditMode != AccessOutcome.Denied && (enforceMode == auditMode || (auditMode == AccessOutcome.Flagged && enforceMode == AccessOutcome.Denied));
        });

    [Property(MaxTest = 2000)]
    public Property Evaluate_AnyEvent_FindingsMatchTheirDefinitions() =>
        Prop.ForAll(Cases, c =>
        {
            var e = c.Event;
            var decision = c.Policy.Evaluate(e);
            var known = c.Policy.Taxonomy.TryGetRule(e.Resource.Category, out var rule);
            var isProtected = !known || rule == CrossBorderRule.RequiresApproval;
            var approved = e.Approval?.IsValidAt(e.Time) ?? false;
            var f = decision.Findings;
            return f.Contains(Finding.UnknownDataCategory) == !known
                && f.Contains(Finding.UnknownRequesterRegion) == e.Requester.Region.IsUnknown
                && f.Contains(Finding.CrossBorderProtectedAccess) == (isProtected && decision.CrossBorder && !approved)
                && f.Contains(Finding.CountryOfConcernAccess) == (isProtected && (c.Policy.CountriesOfConcern?.Contains(e.Requester.Region) ?? false))
                && f.Contains(Finding.StoredOutsideHomeJurisdiction) == (isProtected && e.Resource.StoredIn is { } s && !InsideDataHome(c.Policy, e.Resource.Region, s));
        });

    // The definition in project-texas-policy/1, written independently of the evaluator's tables: a region lies inside
    // the home of data at home in dataRegion when it is in the first home jurisdiction that contains dataRegion, or is
    // dataRegion itself where none does. An unknown region is never inside, and nothing is inside an unknown home.
    private static bool InsideDataHome(AccessPolicy policy, Region dataRegion, Region region)
    {
        if (dataRegion.IsUnknown || region.IsUnknown)
        {
            return false;
        }

        var home = policy.HomeJurisdictions.FirstOrDefault(j => j.Contains(dataRegion));
        return home is null ? region == dataRegion : home.Contains(region);
    }
}
