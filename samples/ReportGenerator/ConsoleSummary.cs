using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>Prints the summary of a report as Spectre.Console tables.</summary>
internal static class ConsoleSummary
{
    private const int TopRequesters = 5;

    public static void Print(IAnsiConsole console, AccessReport report, IReadOnlyList<string> files)
    {
        var t = report.Totals.Counts;
        var totals = new Table().Title("[bold]Data access report[/]").AddColumn("Figure").AddColumn(new TableColumn("Value").RightAligned());
        totals.AddRow("Period", Shown(report.Period.ToString()));
        totals.AddRow("Policy", Shown(report.Policy));
        totals.AddRow("Events", Count(t.Events));
        totals.AddRow("Cross-border", Share(t.CrossBorder, t.Events));
        totals.AddRow("[red]Flagged[/]", Share(t.Flagged, t.Events));
        totals.AddRow("Denied", Share(t.Denied, t.Events));
        totals.AddRow("Approved", Share(t.Approved, t.Events));
        totals.AddRow("Subject records", Count(report.Totals.Subjects));
        totals.AddRow("Integrity", Shown(report.Integrity.ToString()));
        totals.AddRow("Input problems", Count(report.InputProblemCount));
        console.Write(totals);
        if (report.EmptyPeriodNote is { } empty)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(empty)}[/]");
        }

        if (report.Requesters.Count > 0)
        {
            var requesters = new Table().Title("[bold]Top requesters by distinct protected resources[/]")
                .AddColumn("Requester").AddColumn("Region").AddColumn(new TableColumn("Events").RightAligned())
                .AddColumn(new TableColumn("Flagged").RightAligned()).AddColumn(new TableColumn("Protected resources").RightAligned())
                .AddColumn(new TableColumn("Types").RightAligned()).AddColumn("Broad access");
            foreach (var r in report.Requesters.Take(TopRequesters))
            {
                requesters.AddRow(
                    Shown(r.Id),
                    r.Region.Code,
                    Count(r.Counts.Events),
                    Count(r.Counts.Flagged),
                    Count(r.ProtectedResources),
                    Count(r.ResourceTypes),
                    r.BroadAccess ? "[red bold]yes[/]" : "no");
            }

            console.Write(requesters);
        }

        foreach (var file in files)
        {
            console.MarkupLine($"wrote [blue]{Shown(file)}[/]");
        }
    }

    // Untrusted text in a table cell: control and bidi characters as visible escapes, then Spectre markup escaped.
    private static string Shown(string text) => Markup.Escape(VisibleText.Escape(text));

    private static string Count(long value) => ReportFigures.Count(value);

    private static string Count(Int128 value) => ReportFigures.Count(value);

    private static string Share(long part, long whole) => whole == 0 ? "0" : $"{Count(part)} ({ReportFigures.Percent(part, whole)})";
}
