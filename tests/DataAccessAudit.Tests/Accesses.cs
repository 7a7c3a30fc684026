using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Tests;

// Builds access events for tests in one line each: who (region), what (category, data region), where stored, approval.
internal static class Accesses
{
    public static readonly Instant Time = Instant.FromUtc(2021, 9, 14, 7, 31, 2);

    public static AccessEvent Of(
        string requesterRegion,
        string dataRegion,
        DataCategory? category = null,
        string? storedIn = null,
        Approval? approval = null,
        Instant? time = null) =>
        new(
            "test-event",
            time ?? Time,
            new Requester("person-1", Region.Parse(requesterRegion)),
            new AccessedResource("user/1/record", category ?? Taxonomy.Protected, Region.Parse(dataRegion))
            {
                StoredIn = storedIn is null ? null : Region.Parse(storedIn),
            },
            "read")
        {
            Approval = approval,
        };
}
