using System.Text.Json;

namespace DataAccessAudit.Reporting.Formats;

/// <content>The <c>decidedBy</c> section, an addition to <c>access-report/1</c>.</content>
public static partial class AccessReportJsonWriter
{
    // Which policies decided the period's events. The spec's "policy" stays the report's own policy, the one that
    // evaluates events without a recorded decision; "evaluated" says how many it decided, "recorded" which policies the
    // recorded decisions name (null for those naming none). It follows the spec's members, before the other additions,
    // so that a reader finds it near "policy".
    private static void WriteDecidedBy(Utf8JsonWriter writer, ReportDecisions? decidedBy)
    {
        if (decidedBy is null)
        {
            return;
        }

        writer.WriteStartObject("decidedBy");
        WriteObjects(writer, "recorded", decidedBy.Recorded, static (writer, r) =>
        {
            WriteNullable(writer, "policy", r.Policy);
            writer.WriteNumber("events", r.Events);
        });
        writer.WriteNumber("evaluated", decidedBy.Evaluated);
        writer.WriteEndObject();
    }
}
