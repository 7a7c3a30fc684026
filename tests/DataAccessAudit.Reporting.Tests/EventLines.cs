using System.Globalization;
using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Tests;

// Hand-made access-event/1 lines: every figure in these tests can be checked by reading the lines.
internal static class EventLines
{
    private static int _next;

    public static string Line(
        string time,
        string requester = "emp-1",
        string? requesterRegion = "US",
        string resource = "user/1/messages",
        string category = "protected",
        string dataRegion = "US",
        string? storedIn = null,
        string? type = "direct-message",
        long? subjects = null,
        string? decision = null,
        string? approval = null)
    {
        var id = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{{\"schema\":\"access-event/1\",\"id\":\"e-{id}\",\"time\":\"{time}\",");
        builder.Append(CultureInfo.InvariantCulture, $"\"requester\":{{\"id\":{Quote(requester)},\"region\":{(requesterRegion is null ? "null" : Quote(requesterRegion))}}},");
        builder.Append(CultureInfo.InvariantCulture, $"\"resource\":{{\"id\":{Quote(resource)},\"category\":\"{category}\",\"region\":\"{dataRegion}\"");
        if (type is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $",\"type\":\"{type}\"");
        }

        if (storedIn is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $",\"storedIn\":\"{storedIn}\"");
        }

        builder.Append("},\"action\":\"read\"");
        if (subjects is { } s)
        {
            builder.Append(CultureInfo.InvariantCulture, $",\"subjects\":{s}");
        }

        if (approval is not null)
        {
            builder.Append(",\"approval\":").Append(approval);
        }

        if (decision is not null)
        {
            builder.Append(",\"decision\":").Append(decision);
        }

        return builder.Append('}').ToString();
    }

    public static AccessRecord Record(string line) => AccessEventJson.Parse(line);

    public static AccessReport Report(AccessReportOptions options, params string[] lines)
    {
        var builder = new AccessReportBuilder(options);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        foreach (var record in AccessEventReader.Read(stream, "test.jsonl", builder.AddProblem))
        {
            builder.Add(record);
        }

        return builder.Build(ReportIntegrity.Unverified);
    }

    public static AccessReport Report(params string[] lines) => Report(new AccessReportOptions(), lines);

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
