namespace DataAccessAudit.Reporting.Formats;

/// <summary>
/// Writes a report as Markdown for pasting into tickets: the period, the totals and the tables that matter most,
/// long tables cut to their top rows (the CSV files hold them in full). Every value is escaped.
/// </summary>
public static partial class AccessReportMarkdownWriter
{
    /// <summary>The default of how many rows long tables show.</summary>
    public const int DefaultTopRows = 20;

    /// <summary>Writes the report.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="report">The report.</param>
    /// <param name="topRows">How many rows the requester and region-pair tables show.</param>
    public static void Write(TextWriter writer, AccessReport report, int topRows = DefaultTopRows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topRows);
        var t = report.Totals;
        writer.WriteLine("# Data access report");
        writer.WriteLine();
        writer.WriteLine($"- **Period:** {E(report.Period.ToString())}");
        writer.WriteLine(DecisionsText.Describe(report, Code) is { } decidedBy
            ? $"- **{DecisionsText.Label}:** {decidedBy}"
            : $"- **Policy:** {Code(report.Policy)}");
        writer.WriteLine($"- **Integrity:** {E(report.Integrity.StatusName)}{(report.Integrity.Problems.Count > 0 ? $" ({ReportFigures.Count(report.Integrity.Problems.Count, "problem", "problems")})" : string.Empty)}: {E(report.Integrity.Summary)}");
        writer.WriteLine($"- **Input problems:** {ReportFigures.Count(report.InputProblemCount)}");
        writer.WriteLine();
        if (report.EmptyPeriodNote is { } empty)
        {
            writer.WriteLine($"**{char.ToUpperInvariant(empty[0])}{empty[1..]}.**"); // our own words and digits: nothing to escape
            writer.WriteLine();
        }

        writer.WriteLine("## Totals");
        writer.WriteLine();
        writer.WriteLine($"|{CountHeads(CountFields.All)} subject records |");
        writer.WriteLine($"|{CountAligns(CountFields.All)}---:|");
        writer.WriteLine($"|{CountCells(t.Counts, CountFields.All, shares: CountFields.CrossBorder | CountFields.Flagged)} {C(t.Subjects)} |");
        writer.WriteLine();
        writer.WriteLine($"*{ReportFigures.SubjectRecordsDefinition}*");
        writer.WriteLine();

        WriteNeedingAction(writer, report);

        writer.WriteLine("## Findings");
        writer.WriteLine();
        writer.WriteLine("| finding | events | what it means | what to check |");
        writer.WriteLine("|---|---:|---|---|");
        foreach (var f in report.Findings)
        {
            var (meaning, check) = FindingExplanation.TryGet(f.Finding, out var e) ? ($"{e.Meaning} {e.WhyItMatters}", e.WhatToCheck) : (string.Empty, string.Empty);
            writer.WriteLine($"| {E(f.Finding)} | {C(f.Events)} | {E(meaning)} | {E(check)} |");
        }

        writer.WriteLine();
        writer.WriteLine($"## Top requesters by distinct protected resources");
        writer.WriteLine();
        const CountFields requesterCounts = CountFields.Events | CountFields.Flagged;
        writer.WriteLine($"| requester | region |{CountHeads(requesterCounts)} protected resources | resource types | subject records | broad access |");
        writer.WriteLine($"|---|---|{CountAligns(requesterCounts)}---:|---:|---:|---|");
        foreach (var r in report.Requesters.Take(topRows))
        {
            writer.WriteLine($"| {E(r.Id)} | {r.Region.Code} |{CountCells(r.Counts, requesterCounts)} {C(r.ProtectedResources)} | {C(r.ResourceTypes)} | {C(r.Subjects)} | {(r.BroadAccess ? "**yes**" : "no")} |");
        }

        More(writer, report.Requesters.Count, topRows, "requesters.csv");

        WriteApprovals(writer, report, topRows);

        writer.WriteLine("## Requester region x data region");
        writer.WriteLine();
        // A pair's cross-border is a yes or no, aligned as text.
        writer.WriteLine($"| requester region | data region |{CountHeads(CountFields.Events | CountFields.CrossBorder | CountFields.Flagged)}");
        writer.WriteLine($"|---|---|{CountAligns(CountFields.Events)}---|{CountAligns(CountFields.Flagged)}");
        foreach (var p in report.RegionPairs.Take(topRows))
        {
            writer.WriteLine($"| {p.RequesterRegion.Code} | {p.DataRegion.Code} |{CountCells(p.Counts, CountFields.Events)} {(p.CrossBorder ? "yes" : "no")} |{CountCells(p.Counts, CountFields.Flagged)}");
        }

        More(writer, report.RegionPairs.Count, topRows, "region-pairs.csv");

        writer.WriteLine("## Categories");
        writer.WriteLine();
        const CountFields categoryCounts = CountFields.Events | CountFields.CrossBorder | CountFields.Flagged;
        writer.WriteLine($"| category |{CountHeads(categoryCounts)}");
        writer.WriteLine($"|---|{CountAligns(categoryCounts)}");
        foreach (var c in report.Categories)
        {
            writer.WriteLine($"| {E(c.Category)} |{CountCells(c.Counts, categoryCounts)}");
        }

        writer.WriteLine();
        writer.WriteLine("## Residency: protected data served outside its home jurisdiction");
        writer.WriteLine();
        if (report.Residency.Count == 0)
        {
            writer.WriteLine("None.");
        }
        else
        {
            writer.WriteLine("| stored in | protected events |");
            writer.WriteLine("|---|---:|");
            foreach (var r in report.Residency)
            {
                writer.WriteLine($"| {r.StoredIn.Code} | {C(r.ProtectedEvents)} |");
            }
        }

        writer.WriteLine();
        WriteBulkThresholds(writer, report, topRows);
        if (report.Integrity.Problems.Count > 0 || report.InputProblemCount > 0)
        {
            writer.WriteLine("## Problems");
            writer.WriteLine();
            writer.WriteLine("| kind | source | line | message |");
            writer.WriteLine("|---|---|---:|---|");
            foreach (var p in report.Integrity.Problems.Take(topRows))
            {
                writer.WriteLine($"| integrity | {E(p.Source)} | {Line(p.Line)} | {E(p.Message)} |");
            }

            foreach (var p in report.InputProblems.Take(topRows))
            {
                writer.WriteLine($"| input | {E(p.Source)} | {Line(p.Line)} | {E(p.Message)} |");
            }

            More(writer, report.Integrity.Problems.Count + report.InputProblemCount, 2 * topRows, "problems.csv");
        }

        var source = ReportSourceText.Lines(report).ToList();
        if (source.Count > 0)
        {
            writer.WriteLine("## Source");
            writer.WriteLine();
            foreach (var line in source)
            {
                writer.WriteLine($"- {E(line)}");
            }

            writer.WriteLine();
        }
    }

    private static void More(TextWriter writer, long count, int shown, string file)
    {
        writer.WriteLine();
        if (count > shown)
        {
            writer.WriteLine($"_{ReportFigures.Count(count - shown, "more row", "more rows")} in `{file}`._");
            writer.WriteLine();
        }
    }

    // The heading cells of the chosen fields of a row's counts, in the fields' one order, each closed by its bar.
    private static string CountHeads(CountFields fields)
    {
        var cells = new System.Text.StringBuilder();
        foreach (var field in CountField.Order)
        {
            if ((fields & field) != 0)
            {
                cells.Append(' ').Append(CountField.Label(field)).Append(" |");
            }
        }

        return cells.ToString();
    }

    // The alignment cells under CountHeads: counts align right.
    private static string CountAligns(CountFields fields) => string.Concat(Enumerable.Repeat("---:|", System.Numerics.BitOperations.PopCount((uint)fields)));

    // The cells of the chosen fields of a row's counts, each closed by its bar; those in shares also give their share
    // of the row's events.
    private static string CountCells(in AccessCounts counts, CountFields fields, CountFields shares = CountFields.None)
    {
        var cells = new System.Text.StringBuilder();
        foreach (var field in CountField.Order)
        {
            if ((fields & field) != 0)
            {
                var value = CountField.ValueOf(counts, field);
                cells.Append(' ').Append(C(value));
                if ((shares & field) != 0)
                {
                    cells.Append(" (").Append(ReportFigures.Percent(value, counts.Events)).Append(')');
                }

                cells.Append(" |");
            }
        }

        return cells.ToString();
    }

    private static string E(string value) => MarkdownText.Escape(value);

    // A policy's name as inline code, exactly as it is named.
    private static string Code(string name) => MarkdownText.CodeSpan(name);

    // A line number is a position, not an amount: written plainly, as editors and the problem's source show it.
    private static string Line(long line) => line.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string C(long value) => ReportFigures.Count(value);

    private static string C(Int128 value) => ReportFigures.Count(value);
}
