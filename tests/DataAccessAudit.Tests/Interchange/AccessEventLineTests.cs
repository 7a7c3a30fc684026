using System.Buffers;
using System.Text;
using System.Text.Json;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Tests.Interchange;

public sealed class AccessEventLineTests
{
    public static TheoryData<int> Cases => [0, 1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Write_WritesExactlyWhatAccessEventJsonWrites(int which)
    {
        var record = Create(which);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            AccessEventLine.Write(json, record);
        }

        Assert.Equal(AccessEventJson.Format(record), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static AccessRecord Create(int which)
    {
        var time = which switch
        {
            0 => Instant.FromUtc(2021, 9, 14, 7, 31, 2),
            1 => Instant.FromUtc(2021, 9, 14, 7, 31, 2) + Duration.FromNanoseconds(123_456_700),
            2 => Instant.FromUtc(2021, 9, 14, 7, 31, 2) + Duration.FromNanoseconds(5),
            3 => Instant.FromUtc(2021, 9, 14, 7, 31, 2) + Duration.FromMilliseconds(500),
            _ => Instant.FromUtc(1, 1, 1, 0, 0),
        };
        var accessEvent = new AccessEvent(
            $"id-{which}-\"quoted\" + <tag> é",
            time,
            new Requester("emp-4411", which == 4 ? Region.Unknown : Region.Parse("CN"))
            {
                Organization = which % 2 == 0 ? "ByteDance" : null,
                Roles = which % 2 == 0 ? ["master-admin", "engineer"] : [],
            },
            new AccessedResource("user/8812/messages", Taxonomy.Protected, Region.Parse("US"))
            {
                Type = which % 2 == 0 ? "direct-message" : null,
                StoredIn = which % 2 == 0 ? Region.Parse("SG") : null,
            },
            "read")
        {
            // 5: keys and the subjects they imply (left out); 6: keys and more subjects than keys.
            Subjects = which switch { 5 => 2, 6 => AccessEvent.MaxSubjects, _ => which + 1 },
            SubjectKeys = which >= 5 ? ["hmac:1f2e", "hmac:\"3d\" é"] : [],
            Purpose = which % 2 == 0 ? "debugging" : null,
            TraceId = which % 2 == 0 ? "4bf92f3577b34da6a3ce929d0e0e4736" : null,
            Approval = which % 2 == 0 ? new Approval("ap-1") { ApprovedBy = "dpo", ValidFrom = time, ValidUntil = time + Duration.FromDays(1) } : null,
        };
        return new AccessRecord(accessEvent, which == 3 ? null : AccessPolicy.ProjectTexas.Evaluate(accessEvent));
    }
}
