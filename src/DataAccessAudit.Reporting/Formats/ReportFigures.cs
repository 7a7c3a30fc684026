using System.Globalization;

namespace DataAccessAudit.Reporting.Formats;

// How the human formats show numbers: grouped thousands and percentages, culture-invariant so a report reads the
// same wherever it was made.
internal static class ReportFigures
{
    /// <summary>What the <c>subjects</c> figure is, for the reader of every human format: never "people".</summary>
    public const string SubjectRecordsDefinition =
        "Subject records: the sum of each event's subjects (1 when absent), the person-records touched. "
        + "It is an upper bound of the distinct people: a person whose data is read twice counts twice.";

    private static readonly NumberFormatInfo Format = CultureInfo.InvariantCulture.NumberFormat;

    public static string Count(long value) => value.ToString("#,0", Format);

    public static string Count(Int128 value) => value.ToString("#,0", Format);

    // A count with its noun in the right number: "1 access", "0 accesses", "1,204 accesses".
    public static string Plural(long count, string one, string many) => $"{Count(count)} {(count == 1 ? one : many)}";

    public static string Share(long part, long whole) =>
        whole == 0 ? "0%" : (100.0 * part / whole).ToString(part * 1000 < whole && part > 0 ? "0.00" : "0.0", Format) + "%";
}
