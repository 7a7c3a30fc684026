namespace DataAccessAudit.Reporting.Formats;

/// <content>The bulk-data thresholds section (US 28 CFR 202).</content>
public static partial class AccessReportMarkdownWriter
{
    private const int BarWidth = 20;

    private static void WriteBulkThresholds(TextWriter writer, AccessReport report, int topRows)
    {
        if (report.BulkThresholds.Count == 0)
        {
            return;
        }

        var window = report.BulkThresholds[0].Window;
        writer.WriteLine("## Bulk sensitive data: countries of concern and covered persons (28 CFR 202)");
        writer.WriteLine();
        writer.WriteLine($"Distinct U.S. persons (or devices) whose data each counterparty reached from {window.Start:uuuu-MM-dd} to {window.End:uuuu-MM-dd} (12 months), against the bulk threshold of each kind; a threshold is crossed above its number. Counterparties are covered organizations, or requesters in a country of concern. The rule adds up each counterparty's accesses on their own, so the total over all counterparties is never marked crossed.");
        writer.WriteLine();
        writer.WriteLine("| kind | counterparty | distinct | threshold | of threshold | first crossed | top requesters |");
        writer.WriteLine("|---|---|---:|---:|---|---|---|");
        foreach (var group in report.BulkThresholds.GroupBy(r => r.Kind))
        {
            foreach (var row in group.Where(r => r.Counterparty is null || r.DistinctPersons > 0 || r.FirstCrossed is not null).Take(topRows + 1))
            {
                var who = row.Counterparty is { } c ? E(c.Name) + (c.IsOrganization ? " (organization)" : string.Empty) : "**all counterparties**";
                var combined = row.CombinedWith.Count > 0 ? $" (combined with {E(string.Join(", ", row.CombinedWith))})" : string.Empty;
                writer.WriteLine(
                    $"| {E(row.Kind)}{combined} | {who} | {BulkThresholdText.Figure(row)} | {BulkThresholdText.Threshold(row)} | {Bar(row)} | " +
                    $"{(row.FirstCrossed is { } first && row.Counterparty is not null ? $"**{first:uuuu-MM-dd}**" : "-")} | {string.Join(", ", row.TopRequesters.Select(t => $"{E(t.RequesterId)}: {ReportFigures.Count(t.SubjectRecords)}"))} |");
            }
        }

        writer.WriteLine();
        writer.WriteLine("_Estimated figures come from a distinct-count sketch of subject keys; upper bounds add the subject records that carried no keys._");
        writer.WriteLine();
    }

    // A text bar against the threshold: full at the threshold, a mark when crossed.
    private static string Bar(BulkThresholdRow row)
    {
        var fraction = row.Fraction ?? (row.Crossed ? 1.0 : 0.0);
        var filled = (int)Math.Round(Math.Min(fraction, 1) * BarWidth);
        return $"`{new string('█', filled)}{new string('░', BarWidth - filled)}` {BulkThresholdText.Share(row)}{(BulkThresholdText.IsBulk(row) ? " **crossed**" : string.Empty)}";
    }
}
