using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Tests.Policy;

public sealed class AccessDeniedExceptionTests
{
    private static readonly AccessEvent Refused = new(
        "0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a01",
        Instant.FromUtc(2021, 9, 14, 7, 31, 2),
        new Requester("emp-raw-requester-4411", Region.Parse("CN")),
        new AccessedResource("user/raw-resource-8812/messages", Taxonomy.Protected, Region.Parse("US")),
        "read");

    [Fact]
    public void Message_RecordedAccess_NamesThePolicyTheAccessAndItsEventButNoId()
    {
        var exception = new AccessDeniedException(Refused, AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce).Evaluate(Refused));

        // The message reaches the app's logs and traces (an unhandled exception, EF Core's query failure log).
        Assert.DoesNotContain("raw-requester", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("raw-resource", exception.Message, StringComparison.Ordinal);
        Assert.Equal(
            "Policy project-texas/1 refused a read of protected data of US by a requester in CN " +
            "(cross-border-protected-access, country-of-concern-access); recorded as event 0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a01.",
            exception.Message);
    }

    [Fact]
    public void AccessEvent_RecordedAccess_KeepsTheIdsForTheApp()
    {
        var exception = new AccessDeniedException(Refused, AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce).Evaluate(Refused));

        Assert.Same(Refused, exception.AccessEvent);
        Assert.Equal("emp-raw-requester-4411", exception.AccessEvent!.Requester.Id);
    }
}
