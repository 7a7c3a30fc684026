namespace DataAccessAudit.Reporting;

/// <summary>
/// Which policies decided the events of the period: the recorded decisions, which a report keeps, by the policy they
/// name, and how many events the report's own policy (<see cref="AccessReport.Policy"/>) evaluated because they carry
/// no decision, or all of them with <see cref="AccessReportOptions.Reevaluate"/>. So a reader does not take the
/// report's policy for the one an app applied. Not part of <c>access-report/1</c>; an addition to its JSON
/// (<c>decidedBy</c>).
/// </summary>
public sealed class ReportDecisions
{
    /// <summary>Creates the section.</summary>
    /// <param name="recorded">By policy: events descending, then name (ordinal, a decision naming none first).</param>
    /// <param name="evaluated">Events the report's own policy decided.</param>
    public ReportDecisions(IReadOnlyList<RecordedPolicyCount> recorded, long evaluated)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentOutOfRangeException.ThrowIfNegative(evaluated);
        Recorded = recorded;
        Evaluated = evaluated;
    }

    /// <summary>Gets the recorded decisions the report used, by policy: events descending, then name.</summary>
    public IReadOnlyList<RecordedPolicyCount> Recorded { get; }

    /// <summary>Gets how many events the report's own policy evaluated (with <see cref="AccessReportOptions.Reevaluate"/>: all of them).</summary>
    public long Evaluated { get; }
}
