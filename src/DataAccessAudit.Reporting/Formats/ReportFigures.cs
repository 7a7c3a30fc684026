using System.Globalization;

namespace DataAccessAudit.Reporting.Formats;

// How the human formats show numbers: grouped thousands and percentages, culture-invariant so a report reads the
// same wherever it was made.
internal static class ReportFigures
{
    private static readonly NumberFormatInfo Format = CultureInfo.InvariantCulture.NumberFormat;

    public static string Count(long value) => value.ToString("#,0", Format);

    public static string Share(long part, long whole) =>
        whole == 0 ? "0%" : (100.0 * part / whole).ToString(part * 1000 < whole && part > 0 ? "0.00" : "0.0", Format) + "%";
}
