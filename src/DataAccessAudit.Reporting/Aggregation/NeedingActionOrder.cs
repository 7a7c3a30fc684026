using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// The order of the accesses needing action: most severe first, newest first within a severity (to the 100 ns tick),
// then by event id and, for equal ids, by the line itself (UTF-8 ordinal), so that the page and needing-action.csv
// agree however the events were split across workers.
internal static class NeedingActionOrder
{
    private static readonly int CountryOfConcern = 1 << Finding.CountryOfConcernAccess.BuiltInIndex;
    private static readonly int CrossBorderProtected = 1 << Finding.CrossBorderProtectedAccess.BuiltInIndex;

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

    // The key decides almost every comparison; the bytes are read only for two accesses of one severity in one tick.
    public static int Compare(
        ActionSeverity xSeverity,
        long xTicks,
        ReadOnlySpan<byte> xId,
        ReadOnlySpan<byte> xLine,
        ActionSeverity ySeverity,
        long yTicks,
        ReadOnlySpan<byte> yId,
        ReadOnlySpan<byte> yLine)
    {
        var byKey = CompareKeys(xSeverity, xTicks, xId, ySeverity, yTicks, yId);
        return byKey != 0 ? byKey : xLine.SequenceCompareTo(yLine);
    }

    // The order without the lines: 0 when only the lines can decide (for a caller that must read them first).
    public static int CompareKeys(ActionSeverity xSeverity, long xTicks, ReadOnlySpan<byte> xId, ActionSeverity ySeverity, long yTicks, ReadOnlySpan<byte> yId)
    {
        if (xSeverity != ySeverity)
        {
            return xSeverity < ySeverity ? -1 : 1;
        }

        if (xTicks != yTicks)
        {
            return xTicks > yTicks ? -1 : 1;
        }

        return xId.SequenceCompareTo(yId);
    }
}
