using System.Text.Json;

namespace DataAccessAudit.Reporting.Formats;

/// <content>The <c>approvals</c> section, an addition to <c>access-report/1</c>.</content>
public static partial class AccessReportJsonWriter
{
    private static void WriteApprovals(Utf8JsonWriter writer, ReportApprovals approvals)
    {
        writer.WriteStartObject("approvals");
        writer.WriteStartArray("byApprover");
        foreach (var row in approvals.ByApprover)
        {
            writer.WriteStartObject();
            WriteNullable(writer, "approvedBy", row.Name.Length == 0 ? null : row.Name);
            writer.WriteNumber("approvals", row.Approvals);
            writer.WriteNumber("accesses", row.Accesses);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("byRequester");
        foreach (var row in approvals.ByRequester)
        {
            writer.WriteStartObject();
            writer.WriteString("requester", row.Name);
            writer.WriteNumber("approvals", row.Approvals);
            writer.WriteNumber("accesses", row.Accesses);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("expired", approvals.Expired);
        writer.WriteNumber("notYetValid", approvals.NotYetValid);
        writer.WriteEndObject();
    }
}
