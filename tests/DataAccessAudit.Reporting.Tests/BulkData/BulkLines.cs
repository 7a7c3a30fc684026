using System.Globalization;
using System.Text;

namespace DataAccessAudit.Reporting.Tests.BulkData;

// access-event/1 lines for the bulk-data thresholds: a requester with an organization, a resource type that carries
// sensitive kinds, and subjects or subject keys.
internal static class BulkLines
{
    public const string Flagged = """{"outcome":"flagged","crossBorder":true,"findings":["cross-border-protected-access","country-of-concern-access"],"policy":"project-texas/1"}""";
    public const string DeniedDecision = """{"outcome":"denied","crossBorder":true,"findings":["cross-border-protected-access","country-of-concern-access"],"policy":"project-texas/1"}""";

    private static int _next;

    public static string Line(
        string time,
        string requester = "cn-1",
        string region = "CN",
        string? organization = null,
        string type = "genome",
        string dataRegion = "US",
        long? subjects = null,
        IEnumerable<string>? keys = null,
        string? decision = Flagged)
    {
        var id = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{{\"schema\":\"access-event/1\",\"id\":\"b-{id}\",\"time\":\"{time}\",\"requester\":{{\"id\":\"{requester}\",\"region\":\"{region}\"");
        if (organization is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $",\"organization\":\"{organization}\"");
        }

        line.Append(CultureInfo.InvariantCulture, $"}},\"resource\":{{\"id\":\"r/{id}\",\"type\":\"{type}\",\"category\":\"protected\",\"region\":\"{dataRegion}\"}},\"action\":\"read\"");
        if (subjects is { } s)
        {
            line.Append(CultureInfo.InvariantCulture, $",\"subjects\":{s}");
        }

        if (keys is not null)
        {
            line.Append(",\"subjectKeys\":[").AppendJoin(',', keys.Select(k => $"\"{k}\"")).Append(']');
        }

        if (decision is not null)
        {
            line.Append(",\"decision\":").Append(decision);
        }

        return line.Append('}').ToString();
    }
}
