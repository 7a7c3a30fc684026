using DataAccessAudit.BulkData;

namespace DataAccessAudit.Reporting.Formats;

// The words every format uses for a bulk-threshold row, so that JSON, CSV, Markdown and HTML say the same thing.
internal static class BulkThresholdText
{
    public static string Basis(BulkCountBasis basis) => basis switch
    {
        BulkCountBasis.Exact => "exact",
        BulkCountBasis.Estimated => "estimated",
        _ => "upper-bound",
    };

    public static string Unit(BulkCountUnit unit) => unit == BulkCountUnit.Devices ? "devices" : "persons";

    public static string? CounterpartyType(BulkThresholdRow row) =>
        row.Counterparty is { } c ? (c.IsOrganization ? "organization" : "requester") : null;

    // The rounded fraction written in JSON and CSV, for reading and charts: four decimals, so that near a large threshold
    // it can round to 1 on either side of it (100,001 of 100,000 is 1); whether a row crossed is its own field.
    public static double? Fraction(BulkThresholdRow row) => row.Fraction is { } f ? Math.Round(f, 4) : null;

    // "42,180 persons (estimated, ±0.8%)" and the like.
    public static string Figure(BulkThresholdRow row) =>
        $"{ReportFigures.Count(row.DistinctPersons)} {Unit(row.Unit)}" + row.Basis switch
        {
            BulkCountBasis.Exact => string.Empty,
            BulkCountBasis.Estimated => $" (estimated, ±{ReportFigures.Percent(row.RelativeError)})",
            _ => " (upper bound: subject records)",
        };

    // Whether the human formats mark a row crossed: a counterparty's own figure past its threshold. 28 CFR 202.205 adds
    // up the transactions "involving ... the same foreign person or covered person", so the total over all
    // counterparties, which adds up different ones, is context and never bulk by itself.
    public static bool IsBulk(BulkThresholdRow row) => row.Counterparty is not null && row.Crossed;

    // Whether the HTML report shades a row as near its threshold: past the half-way level at which the monitor's default
    // alert levels first warn, or (the total over all counterparties, never marked crossed) past the threshold itself.
    public static bool IsNear(BulkThresholdRow row) =>
        BulkThreshold.Passes(row.DistinctPersons, row.Threshold, BulkThreshold.HalfWay) || row.Crossed;

    public static string Threshold(BulkThresholdRow row) =>
        row.Threshold == 0 ? "any amount" : $"> {ReportFigures.Count(row.Threshold)}";

    public static string Share(BulkThresholdRow row) =>
        row.Fraction is { } f ? ReportFigures.Percent(f) : IsBulk(row) ? "crossed" : row.Crossed ? "reached" : "0%";
}
