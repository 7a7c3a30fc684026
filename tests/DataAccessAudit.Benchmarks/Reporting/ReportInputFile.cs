using System.Buffers;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Benchmarks.Reporting;

/// <summary>
/// A demo-like access-event/1 file for report benchmarks: the Project Texas mix of requesters (US staff, Beijing
/// engineers, a master admin, Singapore operations and backups, Irish trust and safety, public readers abroad), each
/// event written with the decision the policy gave it, as the auditor records them. Generated once per size into the
/// temp directory and reused. With subject keys, each access also names the person it touched (one key of a million
/// US users), so a policy with bulk-data thresholds counts distinct persons. Plain, the same events are written without
/// a decision, as importers and other systems produce them, so the report evaluates the policy on each. With distinct
/// requesters, every event has a requester of its own (the same mix of regions), for the memory a report takes per
/// requester.
/// </summary>
public static class ReportInputFile
{
    private static readonly string[] ProtectedTypes = ["direct-message", "contact-info", "device-id", "precise-location", "payment-info", "viewing-history", "draft-video", "ip-address"];

    public static string Ensure(int events, int seed = 2021, bool subjectKeys = false, bool plain = false, bool distinctRequesters = false)
    {
        var kind = (subjectKeys ? "keys-" : string.Empty) + (plain ? "plain-" : string.Empty) + (distinctRequesters ? "requesters-" : string.Empty);
        var path = Path.Combine(Path.GetTempPath(), $"access-report-bench-{kind}{events}-{seed}.jsonl");
        if (File.Exists(path))
        {
            return path;
        }

        var random = new Random(seed);
        var policy = AccessPolicy.ProjectTexas;
        var us = Region.Parse("US");
        Region[] from = [us, us, us, us, Region.Parse("CN"), Region.Parse("CN"), Region.Parse("SG"), Region.Parse("IE"), Region.Parse("GB"), Region.Unknown];
        var start = Instant.FromUtc(2021, 9, 1, 7, 0);
        var span = (Instant.FromUtc(2022, 7, 1, 7, 0) - start).TotalTicks;
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            for (var i = 0; i < events; i++)
            {
                var time = start + Duration.FromTicks((long)(span * ((i + random.NextDouble()) / events)));
                var region = from[random.Next(from.Length)];
                var id = region == Region.Unknown ? $"contractor-{random.Next(12)}" : $"{region.Code.ToLowerInvariant()}-emp-{random.Next(400):0000}";
                if (distinctRequesters)
                {
                    id = $"requester-{i:0000000}";
                }

                var isPublic = random.NextDouble() < 0.2;
                var type = isPublic ? "public-profile" : ProtectedTypes[random.Next(ProtectedTypes.Length)];
                var resource = new AccessedResource($"user/{random.Next(40_000)}/{type}", isPublic ? Taxonomy.Public : Taxonomy.Protected, us)
                {
                    Type = type,
                    StoredIn = random.NextDouble() < 0.15 ? Region.Parse("SG") : us,
                };
                var e = new AccessEvent(AccessEventId.New(time), time, new Requester(id, region) { Organization = "Example" }, resource, "read")
                {
                    Subjects = random.NextDouble() < 0.02 ? random.Next(2, 5000) : 1,
                };
                if (subjectKeys)
                {
                    e = new AccessEvent(e.Id, e.Time, e.Requester, e.Resource, e.Action) { SubjectKeys = [$"us-{random.Next(1_000_000):x6}"] };
                }

                AccessEventJson.WriteLine(buffer, new AccessRecord(e, plain ? null : policy.Evaluate(e)));
                if (buffer.WrittenCount > (1 << 20) - 4096)
                {
                    stream.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            }

            stream.Write(buffer.WrittenSpan);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
