using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using NodaTime;
using Serilog;
using Serilog.Core;
using Serilog.Formatting.Compact;

namespace DataAccessAudit.Benchmarks.Recording;

// The same event for both sides: the library's auditor over the keyed file log, and Serilog's File sink with
// compact JSON, buffered, logging the same fields.
internal static class RecordingFixture
{
    public static readonly AccessEvent Event = new(
        "0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a01",
        Instant.FromUtc(2021, 9, 14, 7, 31, 2),
        new Requester("emp-4411", Region.Parse("CN")) { Organization = "ByteDance" },
        new AccessedResource("user/8812/messages", Taxonomy.Protected, Region.Parse("US")) { StoredIn = Region.Parse("US"), Type = "direct-message" },
        "read")
    { Purpose = "debugging" };

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "daa-bench", Guid.NewGuid().ToString("N"));

    public static (AccessAuditor Auditor, RecordingQueue Queue, FileLog Log) Auditor(string directory, RecordingOptions options)
    {
        var log = new FileLog(new FileLogOptions { Directory = directory, KeyId = "k1", Key = Convert.ToBase64String(new byte[32]) }, SystemClock.Instance);
        var queue = new RecordingQueue([log], options, SystemClock.Instance);
        return (new AccessAuditor(AccessPolicy.ProjectTexas, SystemClock.Instance, queue), queue, log);
    }

    public static Logger Serilog(string directory) => new LoggerConfiguration()
        .WriteTo.File(new CompactJsonFormatter(), Path.Combine(directory, "serilog.jsonl"), buffered: true)
        .CreateLogger();

    // The fields of access-event/1 plus the decision, as a team would log them with Serilog.
    public static void Log(Logger logger, AccessEvent e, AccessDecision decision) =>
        logger.Information(
            "Access {Id} at {Time} by {RequesterId} ({RequesterRegion}, {Organization}) to {ResourceId} ({ResourceType}, {Category}, {DataRegion}, stored in {StoredIn}): {Action} for {Purpose}: {Outcome} {CrossBorder}",
            e.Id, e.Time, e.Requester.Id, e.Requester.Region.Code, e.Requester.Organization, e.Resource.Id, e.Resource.Type, e.Resource.Category.Name, e.Resource.Region.Code, e.Resource.StoredIn?.Code, e.Action, e.Purpose, decision.Outcome, decision.CrossBorder);

    public static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
