using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// The order of the accesses needing action: most severe first, newest first within a severity (to the 100 ns tick),
// then by event id and, for equal ids, by the line itself (UTF-8 ordinal), so that the page and needing-action.csv
// agree however the events were split across workers.
internal sealed class NeedingActionOrder : IComparer<NeedingActionEntry>
{
    private static readonly int CountryOfConcern = 1 << Finding.CountryOfConcernAccess.BuiltInIndex;
    private static readonly int CrossBorderProtected = 1 << Finding.CrossBorderProtectedAccess.BuiltInIndex;

    public static NeedingActionOrder Instance { get; } = new();

    public static ActionSeverity SeverityOf(AccessDecision decision) =>
        decision.Outcome == AccessOutcome.Denied ? ActionSeverity.Denied
        : decision.Findings.Contains(Finding.CountryOfConcernAccess) ? ActionSeverity.CountryOfConcern
        : decision.Findings.Contains(Finding.CrossBorderProtectedAccess) ? ActionSeverity.CrossBorderProtected
        : ActionSeverity.Flagged;

    // The same, from what the fast scanner reads: the outcome and the built-in findings as bits.
    public static ActionSeverity SeverityOf(AccessOutcome outcome, int builtInFindings) =>
        outcome == AccessOutcome.Denied ? ActionSeverity.Denied
        : (builtInFindings & CountryOfConcern) != 0 ? ActionSeverity.CountryOfConcern
        : (builtInFindings & CrossBorderProtected) != 0 ? ActionSeverity.CrossBorderProtected
        : ActionSeverity.Flagged;

    public int Compare(NeedingActionEntry x, NeedingActionEntry y)
    {
        var bySeverity = x.Severity.CompareTo(y.Severity);
        if (bySeverity != 0)
        {
            return bySeverity;
        }

        var byTime = y.UnixTicks.CompareTo(x.UnixTicks);
        if (byTime != 0)
        {
            return byTime;
        }

        var byId = x.Id.SequenceCompareTo(y.Id);
        return byId != 0 ? byId : x.Line.SequenceCompareTo(y.Line);
    }
}
