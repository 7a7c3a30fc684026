namespace DataAccessAudit.Reporting.Formats;

/// <content>The accesses needing action: the flagged and denied events, most severe first, the first of them listed.</content>
public static partial class AccessReportMarkdownWriter
{
    private static void WriteNeedingAction(TextWriter writer, AccessReport report)
    {
        var actions = report.NeedingAction;
        writer.WriteLine("## Accesses needing action");
        writer.WriteLine();
        if (actions.Count == 0)
        {
            writer.WriteLine("None: no access was flagged or denied.");
            writer.WriteLine();
            return;
        }

        writer.WriteLine($"Every flagged or denied access, most severe first (denied, then a country of concern, then protected data across a border, then the rest), newest first within each; times in {E(report.Period.TimeZone.Id)}.");
        writer.WriteLine();
        writer.WriteLine(string.Join(" · ", Enum.GetValues<ActionSeverity>().Select(s => $"{NeedingActionText.SeverityTitle(s)}: **{C(actions.CountOf(s))}**")));
        writer.WriteLine();
        if (actions.First.Count > 0)
        {
            writer.WriteLine("What each finding means and what to check: [Findings](#findings).");
            writer.WriteLine();
            writer.WriteLine("| time | severity | requester | region | organization | resource | type | findings | approval |");
            writer.WriteLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var record in actions.First)
            {
                var e = record.Event;
                writer.WriteLine($"| {NeedingActionText.PageTime(e.Time, report.Period.TimeZone)} | {NeedingActionText.Severity(AccessesNeedingAction.SeverityOf(record))} | {E(e.Requester.Id)} | {e.Requester.Region.Code} | {E(e.Requester.Organization ?? string.Empty)} | {E(e.Resource.Id)} ({E(e.Resource.Category.Name)}, {e.Resource.Region.Code}) | {E(e.Resource.Type ?? string.Empty)} | {E(NeedingActionText.Findings(record, ", "))} | {E(NeedingActionText.Approval(e))} |");
            }
        }

        More(writer, actions.Count, actions.First.Count, "needing-action.csv");
    }
}
