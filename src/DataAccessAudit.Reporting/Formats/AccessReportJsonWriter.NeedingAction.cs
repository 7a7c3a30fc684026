using System.Text.Json;

namespace DataAccessAudit.Reporting.Formats;

/// <content>The <c>needingAction</c> counts, an addition to <c>access-report/1</c>; the accesses are in <c>needing-action.csv</c>.</content>
public static partial class AccessReportJsonWriter
{
    private static void WriteNeedingAction(Utf8JsonWriter writer, AccessesNeedingAction actions)
    {
        writer.WriteStartObject("needingAction");
        writer.WriteNumber("events", actions.Count);
        writer.WriteNumber("denied", actions.CountOf(ActionSeverity.Denied));
        writer.WriteNumber("countryOfConcern", actions.CountOf(ActionSeverity.CountryOfConcern));
        writer.WriteNumber("crossBorderProtected", actions.CountOf(ActionSeverity.CrossBorderProtected));
        writer.WriteNumber("otherFlagged", actions.CountOf(ActionSeverity.Flagged));
        writer.WriteEndObject();
    }
}
