using System.Text.Json;

namespace DataAccessAudit.Reporting.Formats;

/// <content>The <c>approvals</c> section, an addition to <c>access-report/1</c>.</content>
public static partial class AccessReportJsonWriter
{
    private static void WriteApprovals(Utf8JsonWriter writer, ReportApprovals approvals)
    {
        writer.WriteStartObject("approvals");
        WriteObjects(writer, "byApprover", approvals.ByApprover, static (writer, row) =>
        {
            WriteNullable(writer, "approvedBy", row.Name.Length == 0 ? null : row.Name);
            WriteUsage(writer, row);
        });
        WriteObjects(writer, "byRequester", approvals.ByRequester, static (writer, row) =>
        {
            writer.WriteString("requester", row.Name);
            WriteUsage(writer, row);
        });
        writer.WriteNumber("expired", approvals.Expired);
        writer.WriteNumber("notYetValid", approvals.NotYetValid);
        writer.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter writer, ApprovalUsage row)
    {
        writer.WriteNumber("approvals", row.Approvals);
        writer.WriteNumber("accesses", row.Accesses);
    }
}
