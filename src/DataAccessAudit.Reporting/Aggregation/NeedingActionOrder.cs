using DataAccessAudit.Policy;
using NodaTime;

namespace DataAccessAudit.Reporting.Aggregation;

// The order of the accesses needing action: most severe first, newest first within a severity (to the nanosecond: the
// 100 ns tick, then the nanoseconds past it, 0 to 99, which only times with 8 or 9 fractional digits have), then by
// event id (ordinal, as the report's other lists) and, for equal ids, by the line itself (UTF-8 bytes), so that the
// page and needing-action.csv agree however the events were split across workers.
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

    // The nanoseconds of an instant past its Unix tick (as ToUnixTimeTicks rounds it down): 0 to 99.
    public static byte SubTickOf(Instant time) =>
        (byte)(time - Instant.FromUnixTimeTicks(time.ToUnixTimeTicks())).SubsecondNanoseconds;

    // The order without the lines: 0 when only the lines can decide (for a caller that must read them first).
    public static int CompareKeys(
        ActionSeverity xSeverity,
        long xTicks,
        byte xSubTick,
        ReadOnlySpan<byte> xId,
        ActionSeverity ySeverity,
        long yTicks,
        byte ySubTick,
        ReadOnlySpan<byte> yId)
    {
        if (xSeverity != ySeverity)
        {
            return xSeverity < ySeverity ? -1 : 1;
        }

        if (xTicks != yTicks)
        {
            return xTicks > yTicks ? -1 : 1;
        }

        if (xSubTick != ySubTick)
        {
            return xSubTick > ySubTick ? -1 : 1;
        }

        return CompareOrdinal(xId, yId);
    }

    // UTF-8 ids in the order string.CompareOrdinal gives their strings (UTF-16 code units), the order of every other
    // list in the report, without decoding them. UTF-8's byte order is code-point order, which differs from UTF-16's
    // only between a character of U+E000 to U+FFFF (lead byte 0xEE or 0xEF) and one beyond U+FFFF (lead byte 0xF0 to
    // 0xF4; a surrogate pair in UTF-16, which sorts before U+E000). Where the ids first differ inside a character, both
    // characters share their lead byte, so the bytes decide as they are.
    internal static int CompareOrdinal(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var common = x.CommonPrefixLength(y);
        if (common == x.Length || common == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        var (a, b) = (x[common], y[common]);
        return a >= 0xEE && b >= 0xEE && (a >= 0xF0) != (b >= 0xF0) ? (a >= 0xF0 ? -1 : 1) : a.CompareTo(b);
    }
}
