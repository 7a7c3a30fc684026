using System.Text.Json;
using NodaTime.Text;

namespace DataAccessAudit.Reporting.Formats;

/// <content>The <c>bulkThresholds</c> section, an addition to <c>access-report/1</c>.</content>
public static partial class AccessReportJsonWriter
{
    private static void WriteBulkThresholds(Utf8JsonWriter writer, IReadOnlyList<BulkThresholdRow> rows)
    {
        WriteObjects(writer, "bulkThresholds", rows, static (writer, row) =>
        {
            writer.WriteString("kind", row.Kind);
            writer.WriteString("unit", BulkThresholdText.Unit(row.Unit));
            WriteNullable(writer, "counterparty", row.Counterparty?.Name);
            WriteNullable(writer, "counterpartyType", BulkThresholdText.CounterpartyType(row));
            writer.WriteString("windowStart", LocalDatePattern.Iso.Format(row.Window.Start));
            writer.WriteString("windowEnd", LocalDatePattern.Iso.Format(row.Window.End));
            writer.WriteNumber("distinctPersons", row.DistinctPersons);
            writer.WriteString("basis", BulkThresholdText.Basis(row.Basis));
            writer.WriteBoolean("estimated", row.Basis == BulkCountBasis.Estimated);
            writer.WriteNumber("relativeError", row.RelativeError);
            writer.WriteNumber("threshold", row.Threshold);
            if (BulkThresholdText.Fraction(row) is { } fraction)
            {
                writer.WriteNumber("fraction", fraction);
            }
            else
            {
                writer.WriteNull("fraction");
            }

            writer.WriteBoolean("crossed", row.Crossed);
            WriteNullable(writer, "firstCrossed", row.FirstCrossed is { } first ? LocalDatePattern.Iso.Format(first) : null);
            writer.WriteStartArray("combinedWith");
            foreach (var kind in row.CombinedWith)
            {
                writer.WriteStringValue(kind);
            }

            writer.WriteEndArray();
            WriteObjects(writer, "topRequesters", row.TopRequesters, static (writer, contributor) =>
            {
                writer.WriteString("id", contributor.RequesterId);
                WriteCount(writer, "subjectRecords", contributor.SubjectRecords);
            });
        });
    }
}
