using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace DataAccessAudit.Tests.Interchange;

public sealed class AccessEventJsonPropertyTests
{
    private static Gen<Region> RegionGen { get; } =
        Gen.Frequency((1, Gen.Constant(Region.Unknown)), (12, Gen.Elements(Region.All.ToArray())));

    private static Gen<string> TextGen { get; } = Gen.Elements("a", "user/8812/messages", "ünïcödé ✓", "quote \" and \\ back", "line\nbreak", "emoji 🐉");

    private static Gen<Instant> InstantGen { get; } =
        Gen.Choose(-1_000_000, 1_000_000).Select(s => Accesses.Time + Duration.FromSeconds(s * 977L) + Duration.FromTicks(s));

    private static Arbitrary<AccessEvent> Events { get; } = Arb.From(
        from id in TextGen
        from time in InstantGen
        from requesterRegion in RegionGen
        from dataRegion in RegionGen.Where(r => !r.IsUnknown)
        from stored in Gen.OneOf(Gen.Constant((Region?)null), RegionGen.Select(r => (Region?)r))
        from category in Gen.Elements(Taxonomy.Protected, Taxonomy.Public, new DataCategory("vendor category"))
        from organization in Gen.OneOf(Gen.Constant((string?)null), TextGen.Select(t => (string?)t))
        from roles in Gen.ListOf(TextGen).Select(l => l.ToArray())
        from subjects in Gen.Choose(1, int.MaxValue)
        from hasApproval in Gen.Elements(true, false)
        from validFrom in Gen.OneOf(Gen.Constant((Instant?)null), InstantGen.Select(i => (Instant?)i))
        select new AccessEvent(id, time, new Requester(id, requesterRegion) { Organization = organization, Roles = roles }, new AccessedResource(id, category, dataRegion) { StoredIn = stored, Type = organization }, "read")
        {
            Subjects = subjects,
            Purpose = organization,
            TraceId = organization,
            Approval = hasApproval ? new Approval(id) { ValidFrom = validFrom, ApprovedBy = organization } : null,
        });

    [Property(MaxTest = 500)]
    public Property FormatThenParse_AnyEvent_GivesTheSameJsonAndDecision() =>
        Prop.ForAll(Events, e =>
        {
            var record = new AccessRecord(e, AccessPolicy.ProjectTexas.Evaluate(e));
            var json = AccessEventJson.Format(record);
            var parsed = AccessEventJson.Parse(json);
            return AccessEventJson.Format(parsed) == json
                && parsed.Decision == record.Decision
                && AccessPolicy.ProjectTexas.Evaluate(parsed.Event) == record.Decision
                && parsed.Event.Time == e.Time
                && !json.Contains('\n', StringComparison.Ordinal);
        });
}
