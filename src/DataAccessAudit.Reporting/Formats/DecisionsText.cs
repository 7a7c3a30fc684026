namespace DataAccessAudit.Reporting.Formats;

// How the human formats word which policies decided a report's events, such as "my-app/1 (12 events, recorded);
// project-texas/1 evaluated none", in place of a bare "Policy" that a reader would take for the app's own. The
// policies' names come from the input, so each format passes how it shows (and escapes) a name.
internal static class DecisionsText
{
    public const string Label = "Decided by";

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
            .Select(r => $"{(r.Policy is null ? Unnamed : name(r.Policy))} ({ReportFigures.Count(r.Events, "event", "events")}, recorded)")
            .Append($"{name(report.Policy)} evaluated {evaluated}");
        return string.Join("; ", parts);
    }
}
