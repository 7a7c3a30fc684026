using DataAccessAudit.Policy;
using NodaTime;

namespace DataAccessAudit.Reporting;

/// <summary>What a report covers and how it judges events.</summary>
public sealed class AccessReportOptions
{
    /// <summary>The default of <see cref="MaxInputProblems"/>.</summary>
    public const int DefaultMaxInputProblems = 1000;

    /// <summary>The default of <see cref="NeedingActionRows"/>.</summary>
    public const int DefaultNeedingActionRows = 100;

    /// <summary>
    /// Gets the policy that evaluates events without a recorded decision (and every event when
    /// <see cref="Reevaluate"/> is set), and decides what counts as protected. Default: <see cref="AccessPolicy.ProjectTexas"/>.
    /// </summary>
    public AccessPolicy Policy { get; init; } = AccessPolicy.ProjectTexas;

    /// <summary>Gets the period. Default: every event, with daily figures in UTC.</summary>
    public ReportPeriod Period { get; init; } = ReportPeriod.All(DateTimeZone.Utc);

    /// <summary>
    /// Gets a value indicating whether to evaluate every event with <see cref="Policy"/>, ignoring recorded decisions
    /// (what would a stricter policy have flagged?). Default: false, recorded decisions are kept.
    /// </summary>
    public bool Reevaluate { get; init; }

    /// <summary>
    /// Gets how many input problems the report lists; all are counted in <see cref="AccessReport.InputProblemCount"/>.
    /// Bounds memory when a whole file is garbage. Default: <see cref="DefaultMaxInputProblems"/>.
    /// </summary>
    public int MaxInputProblems
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = DefaultMaxInputProblems;

    /// <summary>
    /// Gets how many of the accesses needing action the report holds in memory for the pages people read
    /// (<see cref="AccessesNeedingAction.First"/>); all of them are counted and can be read in order with
    /// <see cref="AccessesNeedingAction.ReadAll"/>. Default: <see cref="DefaultNeedingActionRows"/>.
    /// </summary>
    public int NeedingActionRows
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = DefaultNeedingActionRows;

    // How many accesses needing action each builder buffers before it sorts them and spills them to a temporary file;
    // small values let tests spill, and cascade, with a few hundred events.
    internal int NeedingActionRunLength { get; init; } = Aggregation.NeedingActionRuns.DefaultRunLength;
}
