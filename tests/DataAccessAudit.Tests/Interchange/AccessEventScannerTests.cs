using System.Text;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Tests.Interchange;

// The fast reader must take the lines our own writer produces (declining them all would still give right reports,
// only slowly, so the report tests alone cannot see it), with exactly the values the full parser reads.
public sealed class AccessEventScannerTests
{
    public static TheoryData<string> CanonicalLines()
    {
        var time = Instant.FromUtc(2021, 9, 14, 7, 31, 2) + Duration.FromTicks(1_234_567);
        var full = new AccessEvent("e-1", time, new Requester("emp-4411", Region.Parse("CN")) { Organization = "ByteDance", Roles = ["engineer"] }, new AccessedResource("user/8812/messages", Taxonomy.Protected, Region.Parse("US")) { Type = "direct-message", StoredIn = Region.Parse("SG") }, "export")
        {
            Subjects = 12,
            Purpose = "debugging",
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            Approval = new Approval("appr-7") { ApprovedBy = "US Data Security", ValidFrom = time - Duration.FromDays(1), ValidUntil = time + Duration.FromDays(1) },
        };
        var minimal = new AccessEvent("e-2", Instant.FromUtc(2024, 2, 29, 23, 59, 59), new Requester("svc", Region.Unknown), new AccessedResource("user/1/profile", Taxonomy.Public, Region.Parse("US")), "read");
        return
        [
            AccessEventJson.Format(new AccessRecord(full, AccessPolicy.ProjectTexas.Evaluate(full))),
            AccessEventJson.Format(new AccessRecord(minimal, AccessPolicy.ProjectTexas.Evaluate(minimal))),
            AccessEventJson.Format(new AccessRecord(full, AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce).Evaluate(full))),
        ];
    }

    [Theory]
    [MemberData(nameof(CanonicalLines))]
    public void TryScan_LineOurWriterWrote_TakesItWithTheValuesTheFullParserReads(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);
        var record = AccessEventJson.Parse(line);

        Assert.True(AccessEventScanner.TryScan(line, out var scanned));

        Assert.True(scanned.HasDecision);
        var e = record.Event;
        Assert.Equal(e.Time.ToUnixTimeTicks(), scanned.UnixTicks);
        Assert.Equal(e.Requester.Id, Encoding.UTF8.GetString(line[scanned.RequesterId]));
        Assert.Equal(e.Requester.Region, scanned.RequesterRegion);
        Assert.Equal(e.Resource.Id, Encoding.UTF8.GetString(line[scanned.ResourceId]));
        Assert.Equal(e.Resource.Type, scanned.Type is { } type ? Encoding.UTF8.GetString(line[type]) : null);
        Assert.Equal(e.Resource.Category.Name, Encoding.UTF8.GetString(line[scanned.Category]));
        Assert.Equal(e.Resource.Region, scanned.DataRegion);
        Assert.Equal(e.Resource.StoredIn, scanned.StoredIn);
        Assert.Equal(e.Subjects, scanned.Subjects);
        Assert.Equal(record.Decision!.Value.Outcome, scanned.Outcome);
        Assert.Equal(record.Decision!.Value.CrossBorder, scanned.CrossBorder);
        Assert.Equal(
            record.Decision!.Value.Findings.Select(f => f.Name).Order(StringComparer.Ordinal),
            Enumerable.Range(0, Finding.BuiltInCount).Where(i => (scanned.BuiltInFindings & (1 << i)) != 0).Select(i => Finding.BuiltIn(i).Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"user/8812/messages","category":"protected","region":"US"},"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"user/8812/messages","category":"protected","region":"US"},"action":"read","decision":null}""")]
    public void TryScan_LineWithoutADecision_TakesIt_SayingItHasNone(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);

        Assert.True(AccessEventScanner.TryScan(line, out var scanned));

        Assert.False(scanned.HasDecision);
        Assert.Equal("emp-4411", Encoding.UTF8.GetString(line[scanned.RequesterId]));
        Assert.Equal(Region.Parse("CN"), scanned.RequesterRegion);
    }

    [Theory]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","decision":{"outcome":"maybe"},"decision":null}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-\u0034","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","decision":{"outcome":"allowed"}}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","decision":{"outcome":"flagged","findings":["a-custom-finding"]}}""")]
    public void TryScan_LineWithAnEscapeOrACustomFindingOrAnUnreadableDecision_DeclinesIt(string text)
    {
        Assert.False(AccessEventScanner.TryScan(Encoding.UTF8.GetBytes(text), out _));
    }
}
