using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>Prints the summary of a report as Spectre.Console tables.</summary>
internal static class ConsoleSummary
{
    private const int TopRequesters = 5;

    // An id up to this wide is worth narrowing the counts for; a wider one takes more lines whatever the layout.
    private const int IdRoomWanted = 32;

    // The id column is never narrower than this, even when the terminal is too narrow for the table.
    private const int MinimumIdRoom = 8;

    public static void Print(IAnsiConsole console, AccessReport report, IReadOnlyList<string> files)
    {
        var t = report.Totals.Counts;
        var totals = new Table().Title("[bold]Data access report[/]").AddColumn("Figure").AddColumn(new TableColumn("Value").RightAligned());
        totals.AddRow("Period", Shown(report.Period.ToString()));
        if (ReportFigures.DecidedBy(report) is { } decidedBy)
        {
            totals.AddRow("Decided by", Shown(decidedBy));
        }
        else
        {
            totals.AddRow("Policy", Shown(report.Policy));
        }

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
            Requesters(console, report.Requesters.Take(TopRequesters).ToList());
        }

        foreach (var file in files)
        {
            console.MarkupLine($"wrote [blue]{Shown(file)}[/]");
        }
    }

    // The requesters table, laid out for the console's width. The id is what a reader acts on, so it gets the room
    // the counts leave, broken only after its separators; when that room is too narrow for the ids, the count
    // headers go on two lines, then the least telling counts (types, then events) give way, and a line says so.
    private static void Requesters(IAnsiConsole console, List<RequesterSummary> top)
    {
        var ids = top.Select(r => VisibleText.Escape(r.Id)).ToList();
        var wanted = Math.Min(ids.Max(id => id.GetCellWidth()), IdRoomWanted);
        var columns = RequesterColumns(top);
        var layouts = Layouts(columns).Select(l => (l.Columns, l.TwoLineHeaders, Room: IdRoom(console.Profile.Width, l.Columns, l.TwoLineHeaders))).ToList();
        var layout = layouts.FirstOrDefault(l => l.Room >= wanted, layouts[^1]);
        var room = Math.Max(layout.Room, MinimumIdRoom);

        var table = new Table().Title("[bold]Top requesters by distinct protected resources[/]").AddColumn(new TableColumn("Requester").NoWrap());
        foreach (var column in layout.Columns)
        {
            var header = layout.TwoLineHeaders ? column.Header.Replace(' ', '\n') : column.Header;
            var added = new TableColumn(header).NoWrap();
            table.AddColumn(column.RightAligned ? added.RightAligned() : added);
        }

        for (var row = 0; row < top.Count; row++)
        {
            var id = string.Join('\n', IdLines.Break(ids[row], room).Select(Markup.Escape));
            table.AddRow([id, .. layout.Columns.Select(c => c.Cells[row])]);
        }

        console.Write(table);
        var left = columns.Where(c => !layout.Columns.Contains(c)).Select(c => c.Header).ToList();
        if (left.Count > 0)
        {
            console.MarkupLine($"[dim]{Markup.Escape(string.Join(" and ", left))} left out to fit {console.Profile.Width} columns.[/]");
        }
    }

    private static List<RequesterColumn> RequesterColumns(List<RequesterSummary> top) =>
    [
        new("Region", false, top.Select(r => r.Region.Code).ToList()),
        new("Events", true, top.Select(r => Count(r.Counts.Events)).ToList()),
        new("Flagged", true, top.Select(r => Count(r.Counts.Flagged)).ToList()),
        new("Protected resources", true, top.Select(r => Count(r.ProtectedResources)).ToList()),
        new("Types", true, top.Select(r => Count(r.ResourceTypes)).ToList()),
        new("Broad access", false, top.Select(r => r.BroadAccess ? "[red bold]yes[/]" : "no").ToList()),
    ];

    // From the widest to the narrowest: all counts on one-line headers, on two-line headers, without types, without
    // types and events.
    private static IEnumerable<(List<RequesterColumn> Columns, bool TwoLineHeaders)> Layouts(List<RequesterColumn> columns)
    {
        yield return (columns, false);
        yield return (columns, true);
        var withoutTypes = columns.Where(c => c.Header != "Types").ToList();
        yield return (withoutTypes, true);
        yield return (withoutTypes.Where(c => c.Header != "Events").ToList(), true);
    }

    // The cells left for the id once the other columns, their padding (a cell each side) and the borders (one more
    // than the columns) are drawn.
    private static int IdRoom(int width, List<RequesterColumn> columns, bool twoLineHeaders) =>
        width - ((3 * (columns.Count + 1)) + 1) - columns.Sum(c => c.Width(twoLineHeaders));

    // Untrusted text in a table cell: control and bidi characters as visible escapes, then Spectre markup escaped.
    private static string Shown(string text) => Markup.Escape(VisibleText.Escape(text));

    private static string Count(long value) => ReportFigures.Count(value);

    private static string Count(Int128 value) => ReportFigures.Count(value);

    private static string Share(long part, long whole) => whole == 0 ? "0" : $"{Count(part)} ({ReportFigures.Percent(part, whole)})";
}
