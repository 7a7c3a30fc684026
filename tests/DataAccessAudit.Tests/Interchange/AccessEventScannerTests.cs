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
        Assert.Equal(record.Decision!.Value.Policy, scanned.DecisionPolicy is { } policy ? Encoding.UTF8.GetString(line[policy]) : null);
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

    // The recorded decision's policy, which a report counts its events by: the one the full parser reads, the last
    // when the member (or the decision) is repeated, none when the decision names none.
    [Theory]
    [InlineData("""{"outcome":"allowed","policy":"my-app/1"}""", "my-app/1")]
    [InlineData("""{"policy":"","outcome":"allowed"}""", "")]
    [InlineData("""{"outcome":"allowed","policy":null}""", null)]
    [InlineData("""{"outcome":"allowed"}""", null)]
    [InlineData("""{"outcome":"allowed","policy":"a/1","policy":"b/2"}""", "b/2")]
    [InlineData("""{"outcome":"allowed","policy":"a/1"},"decision":{"outcome":"allowed"}""", null)]
    [InlineData("""{"outcome":"allowed","policy":"a/1"},"decision":{"outcome":"denied","policy":"b/2"}""", "b/2")]
    [InlineData("""{ "outcome": "allowed", "policy": "my-app/1" }""", "my-app/1")]
    public void TryScan_DecisionsPolicy_IsTheOneTheFullParserReads(string decision, string? policy)
    {
        var line = Encoding.UTF8.GetBytes("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","decision":""" + decision + "}");

        Assert.True(AccessEventScanner.TryScan(line, out var scanned));

        Assert.Equal(policy, AccessEventJson.Parse(line).Decision!.Value.Policy);
        Assert.Equal(policy, scanned.DecisionPolicy is { } range ? Encoding.UTF8.GetString(line[range]) : null);
    }

    [Theory]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","decision":{"outcome":"maybe"},"decision":null}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-\u0034","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","decision":{"outcome":"allowed"}}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","decision":{"outcome":"flagged","findings":["a-custom-finding"]}}""")]
    public void TryScan_LineWithAnEscapeOrACustomFindingOrAnUnreadableDecision_DeclinesIt(string text)
    {
        Assert.False(AccessEventScanner.TryScan(Encoding.UTF8.GetBytes(text), out _));
    }

    // Lines of every shape the compact pass takes: as our writer writes them, plain, with subject keys, nulls where a
    // field is optional, roles, an approval with and without a window, and bounds finer than a tick.
    public static TheoryData<string> CompactLines()
    {
        var lines = new TheoryData<string>();
        foreach (var line in CanonicalLines())
        {
            lines.Add(line.Data);
        }

        lines.Add(EventLines.Minimal);
        lines.Add("""{"schema":"access-event/1","id":"017ba028-6582-71cb","time":"2021-09-01T07:00:07.1705253Z","requester":{"id":"gb-emp-0169","region":"GB","organization":"Example"},"resource":{"id":"user/28254/viewing-history","type":"viewing-history","category":"protected","region":"US","storedIn":"US"},"action":"read"}""");
        lines.Add("""{"schema":"access-event/1","id":"k-1","time":"2021-09-01T07:00:07Z","requester":{"id":"svc","region":null,"organization":null,"roles":[]},"resource":{"id":"r/1","type":null,"category":"protected","region":"US","storedIn":null},"subjects":null,"subjectKeys":["a1","b2","c3"],"action":"export","purpose":null,"traceId":null,"approval":null,"decision":null}""");
        lines.Add("""{"decision":{"policy":null,"findings":null,"crossBorder":null,"outcome":"denied"},"action":"read","subjectKeys":null,"subjects":3,"approval":{"id":"a","approvedBy":null,"validFrom":null,"validUntil":"2021-09-02T00:00:00.123456789Z"},"resource":{"region":"SG","category":"x y","id":"r"},"requester":{"roles":["a","b"],"region":"ZZ","id":"q"},"time":"2021-09-01T07:00:07.1234567Z","id":"e","schema":"access-event/1"}""");
        lines.Add("""{"schema":"access-event/1","id":"e","time":"2021-09-01T07:00:07Z","requester":{"id":"q","region":"US"},"resource":{"id":"r","category":"protected","region":"US"},"subjects":9007199254740991,"action":"read","approval":{"id":"a","validFrom":"2021-09-01T00:00:00Z"},"decision":{"outcome":"approved","crossBorder":false,"findings":["cross-border-protected-access","country-of-concern-access"]}}""");
        return lines;
    }

    [Theory]
    [MemberData(nameof(CompactLines))]
    public void TryScanCompact_CompactLine_TakesItWithTheReaderPathsValues(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);
        var compact = default(ScannedAccessEvent);
        var reader = default(ScannedAccessEvent);

        Assert.True(AccessEventScanner.TryScanCompact(line, ref compact));

        Assert.True(AccessEventScanner.TryScanWithReader(line, ref reader));
        Assert.Equal(reader, compact);
    }

    // What the compact pass is not sure of goes to the reader path, which still takes the line when it is an event.
    [Theory]
    [InlineData("""{"schema":"access-event/1", "id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","extra":{"a":[1,2]}}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN","team":"x"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-0","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read"}""" + "\r")]
    public void TryScan_LineTheCompactPassDeclines_IsTakenByTheReaderPath(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);
        var compact = default(ScannedAccessEvent);

        Assert.False(AccessEventScanner.TryScanCompact(line, ref compact));

        Assert.True(AccessEventScanner.TryScan(line, out _));
    }

    [Theory]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"subjects":1.0,"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"subjects":2e1,"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-\u0034","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"subjects":0,"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"subjects":-1,"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"subjects":9007199254740992,"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"ZZ"},"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":" ","region":"US"},"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"subjectKeys":[],"action":"read"}""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read"}x""")]
    [InlineData("""{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"r","category":"protected","region":"US"}}""")]
    public void TryScanCompact_LineTheReaderPathDoesNotTake_DeclinesIt(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);
        var compact = default(ScannedAccessEvent);
        var reader = default(ScannedAccessEvent);

        Assert.False(AccessEventScanner.TryScanWithReader(line, ref reader));

        Assert.False(AccessEventScanner.TryScanCompact(line, ref compact));
    }

    // Seeded random edits of compact lines: whatever the compact pass takes, the reader path takes with the same
    // values, so the pass never changes a report.
    [Fact]
    public void TryScanCompact_RandomEditsOfCompactLines_NeverTakesWhatTheReaderPathReadsOtherwise()
    {
        var lines = CompactLines().Select(row => Encoding.UTF8.GetBytes(row.Data)).ToList();
        var edits = new LineEdits(
            17,
            "{}[]\":,\\-+.0123456789eEtrufalsnZ u/ \t\u00e9"u8.ToArray(),
            [.. new[] { "\"id\"", "\"region\"", "\"subjects\"", "\"decision\"", "\"schema\"", "null", "[]", "{}", "\"\"", "1", "\"US\"", "true" }.Select(Encoding.UTF8.GetBytes)]);
        var accepted = 0;
        for (var round = 0; round < 40_000; round++)
        {
            var bytes = edits.Next(lines);
            var compact = default(ScannedAccessEvent);
            if (bytes.Length > 0 && bytes[0] == (byte)'{' && System.Text.Unicode.Utf8.IsValid(bytes) && AccessEventScanner.TryScanCompact(bytes, ref compact))
            {
                accepted++;
                var reader = default(ScannedAccessEvent);
                Assert.True(AccessEventScanner.TryScanWithReader(bytes, ref reader), Encoding.UTF8.GetString(bytes));
                Assert.Equal(reader, compact);
            }
        }

        // Many edits inside a string still leave a line the compact pass takes.
        Assert.True(accepted > 1_000, $"{accepted} accepted");
    }
}
