using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// The decision the report evaluated for an access whose line does not hold it (a line without a recorded decision,
// or any line when re-evaluating), packed into an int beside the line: 0 when the line holds the decision the report
// used; else 1, the outcome (bits 1-2), whether it crossed a border (bit 3) and the built-in findings (from bit 4).
// The policy evaluates only to built-in findings, so nothing is lost.
internal static class NeedingActionDecision
{
    public const int InLine = 0;

    public static int Pack(AccessOutcome outcome, bool crossBorder, int builtInFindings) =>
        1 | ((int)outcome << 1) | (crossBorder ? 1 << 3 : 0) | (builtInFindings << 4);

    // The record to list: the line's own, or its event with the evaluated decision of the policy named policyId.
    public static AccessRecord Apply(AccessRecord fromLine, int packed, string policyId)
    {
        if (packed == InLine)
        {
            return fromLine;
        }

        var findings = FindingSet.Empty;
        for (var bits = BuiltInFindingsOf(packed); bits != 0; bits &= bits - 1)
        {
            findings = findings.AddBuiltIn(Finding.BuiltIn(System.Numerics.BitOperations.TrailingZeroCount(bits)));
        }

        var decision = new AccessDecision(OutcomeOf(packed), (packed & (1 << 3)) != 0, findings, policyId);
        return new AccessRecord(fromLine.Event, decision);
    }

    // The outcome of an evaluated decision (not InLine).
    public static AccessOutcome OutcomeOf(int packed) => (AccessOutcome)((packed >> 1) & 3);

    // The built-in findings of an evaluated decision (not InLine): bit i is Finding's built-in index i.
    public static int BuiltInFindingsOf(int packed) => packed >>> 4;
}
