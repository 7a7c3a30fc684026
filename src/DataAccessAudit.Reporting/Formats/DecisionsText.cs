namespace DataAccessAudit.Reporting.Formats;

// How the human formats word which policies decided a report's events, such as "my-app/1 (12 events, recorded);
// project-texas/1 evaluated none", in place of a bare "Policy" that a reader would take for the app's own. The
// policies' names come from the input, so each format passes how it shows (and escapes) a name.
internal static class DecisionsText
{
    public const string Label = "Decided by";

    // How many recorded policies the sentence names, the most frequent first.
    public const int Shown = 10;

    // Shown for recorded decisions that name no policy.
    public const string Unnamed = "unnamed policy";

    // The sentence, or null when the report does not say (then the formats show its policy alone, as before).
    public static string? Describe(AccessReport report, Func<string, string> name)
    {
        if (report.DecidedBy is not { } decidedBy)
        {
            return null;
        }

        var evaluated = decidedBy.Evaluated == 0 ? "none" : ReportFigures.Count(decidedBy.Evaluated, "event", "events");
        var parts = decidedBy.Recorded
            .Take(Shown)
            .Select(r => $"{Name(r.Policy, name)} ({ReportFigures.Count(r.Events, "event", "events")}, recorded)");
        if (decidedBy.Recorded.Count > Shown)
        {
            // The input chooses the names: thousands of them must not bury the summary. report.json lists every one.
            var more = decidedBy.Recorded.Skip(Shown).Sum(r => r.Events);
            parts = parts.Append($"{ReportFigures.Count(decidedBy.Recorded.Count - Shown, "more policy", "more policies")} ({ReportFigures.Count(more, "event", "events")}, recorded; all in report.json)");
        }

        return string.Join("; ", parts.Append($"{name(report.Policy)} evaluated {evaluated}"));
    }

    // A name that would show as nothing (empty, or spaces) is shown in quotes.
    private static string Name(string? policy, Func<string, string> name) =>
        policy is null ? Unnamed : string.IsNullOrWhiteSpace(policy) ? name($"\"{policy}\"") : name(policy);
}
