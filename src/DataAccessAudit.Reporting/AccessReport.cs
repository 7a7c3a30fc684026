using DataAccessAudit.Interchange;

namespace DataAccessAudit.Reporting;

/// <summary>
/// An <c>access-report/1</c>: who read which data from where over a period, and how far the input can be trusted.
/// Built by <see cref="AccessReportBuilder"/>; written by the writers in <c>DataAccessAudit.Reporting.Formats</c>.
/// </summary>
/// <remarks>Immutable; the lists are sorted as the <c>access-report/1</c> specification states.</remarks>
public sealed class AccessReport
{
    /// <summary>The value of the <c>schema</c> field.</summary>
    public const string Schema = "access-report/1";

    /// <summary>Creates a report from its parts (the builder does this; tests and importers may too).</summary>
    /// <param name="policy">The name/version of the policy used.</param>
    /// <param name="period">The period.</param>
    /// <param name="totals">The totals.</param>
    /// <param name="findings">Findings, by events descending.</param>
    /// <param name="regionPairs">Region pairs, by events descending.</param>
    /// <param name="categories">Categories, by events descending.</param>
    /// <param name="requesters">Requesters, by protected resources descending, then id.</param>
    /// <param name="residency">Residency, by protected events descending.</param>
    /// <param name="daily">Days, ascending.</param>
    /// <param name="integrity">The integrity of the source.</param>
    /// <param name="inputProblems">The input problems kept (the first ones, up to a limit).</param>
    /// <param name="inputProblemCount">How many input problems there were in all.</param>
    public AccessReport(
        string policy,
        ReportPeriod period,
        ReportTotals totals,
        IReadOnlyList<FindingCount> findings,
        IReadOnlyList<RegionPairCount> regionPairs,
        IReadOnlyList<CategoryCount> categories,
        IReadOnlyList<RequesterSummary> requesters,
        IReadOnlyList<ResidencyCount> residency,
        IReadOnlyList<DailyCount> daily,
        ReportIntegrity integrity,
        IReadOnlyList<InputProblem> inputProblems,
        long inputProblemCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(policy);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(regionPairs);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(requesters);
        ArgumentNullException.ThrowIfNull(residency);
        ArgumentNullException.ThrowIfNull(daily);
        ArgumentNullException.ThrowIfNull(integrity);
        ArgumentNullException.ThrowIfNull(inputProblems);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputProblemCount, inputProblems.Count);
        Policy = policy;
        Period = period;
        Totals = totals;
        Findings = findings;
        RegionPairs = regionPairs;
        Categories = categories;
        Requesters = requesters;
        Residency = residency;
        Daily = daily;
        Integrity = integrity;
        InputProblems = inputProblems;
        InputProblemCount = inputProblemCount;
    }

    /// <summary>
    /// Gets the name/version of the report's own policy, such as <c>project-texas/1</c>: the one it evaluates events
    /// with that carry no recorded decision (or all events, when re-evaluating). Events that carry a decision keep it, so
    /// <see cref="DecidedBy"/> says which policies decided the period's events.
    /// </summary>
    public string Policy { get; }

    /// <summary>
    /// Gets which policies decided the events of the period: the recorded decisions by policy, and how many events
    /// <see cref="Policy"/> evaluated; null when the report was made without saying (not by a builder or a store).
    /// Not part of <c>access-report/1</c>; an addition to its JSON (<c>decidedBy</c>).
    /// </summary>
    public ReportDecisions? DecidedBy { get; init; }

    /// <summary>Gets the period.</summary>
    public ReportPeriod Period { get; }

    /// <summary>
    /// Gets how many events the source held outside the period (read, not counted), so that a report with no events in
    /// its period can say whether the source was empty or the period missed it. Not part of <c>access-report/1</c>.
    /// </summary>
    public long EventsOutsidePeriod { get; init; }

    /// <summary>
    /// Gets what a report with no event in its period says, <c>no events in this period (N events outside it)</c>, so
    /// that a reader can tell an empty source from a period that missed it; null when the period has events.
    /// </summary>
    public string? EmptyPeriodNote =>
        Totals.Counts.Events > 0 ? null
        : $"no events in this period ({Formats.ReportFigures.Count(EventsOutsidePeriod, "event", "events")} outside it)";

    /// <summary>Gets the totals.</summary>
    public ReportTotals Totals { get; }

    /// <summary>Gets the findings, by events descending, then name.</summary>
    public IReadOnlyList<FindingCount> Findings { get; }

    /// <summary>Gets the requester-region x data-region pairs, by events descending, then regions.</summary>
    public IReadOnlyList<RegionPairCount> RegionPairs { get; }

    /// <summary>Gets the categories, by events descending, then name.</summary>
    public IReadOnlyList<CategoryCount> Categories { get; }

    /// <summary>Gets the requesters, by distinct protected resources descending, then id.</summary>
    public IReadOnlyList<RequesterSummary> Requesters { get; }

    /// <summary>Gets the protected accesses served outside their home jurisdiction, by storage region (events descending).</summary>
    public IReadOnlyList<ResidencyCount> Residency { get; }

    /// <summary>Gets the days, ascending: every date of a bounded period (zeros included), else the dates with events.</summary>
    public IReadOnlyList<DailyCount> Daily { get; }

    /// <summary>
    /// Gets the bulk-data thresholds section (US 28 CFR 202): for each kind of the policy's <see cref="Policy.AccessPolicy.BulkData"/>,
    /// the total over all counterparties, then each counterparty; empty when the policy has no bulk data.
    /// </summary>
    public IReadOnlyList<BulkThresholdRow> BulkThresholds
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = [];

    /// <summary>
    /// Gets what the report was computed from (input files and their hashes, the tool, when it was generated), or null
    /// when its builder was not told (<see cref="AccessReportBuilder.Build(ReportIntegrity, ReportSource)"/>).
    /// </summary>
    public ReportSource? Source { get; init; }

    /// <summary>
    /// Gets the accesses that need action: every flagged or denied event in the period, most severe first, the first
    /// ones in memory and the rest readable from disk. Not part of <c>access-report/1</c>; its counts are an addition
    /// to its JSON, and <c>needing-action.csv</c> lists them all.
    /// </summary>
    public AccessesNeedingAction NeedingAction
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = AccessesNeedingAction.None;

    /// <summary>
    /// Gets how approvals were used: by approver and by requester, and the accesses that carried an approval outside
    /// its validity window. Not part of <c>access-report/1</c>; an addition to its JSON (<c>approvals</c>).
    /// </summary>
    public ReportApprovals Approvals
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = ReportApprovals.None;

    /// <summary>Gets the integrity of the source.</summary>
    public ReportIntegrity Integrity { get; }

    /// <summary>Gets the input problems kept: the first ones in source and line order, up to the builder's limit.</summary>
    public IReadOnlyList<InputProblem> InputProblems { get; }

    /// <summary>Gets how many input problems there were in all.</summary>
    public long InputProblemCount { get; }

    /// <summary>
    /// Gets a value indicating whether any input or integrity problem was found (what <c>--strict</c> fails on): a line
    /// that is not an event, a broken chain, and also the losses an intact log records about itself (accesses the
    /// recorder dropped, records removed by retention, a crash while writing, a key that was not given).
    /// </summary>
    public bool HasProblems => InputProblemCount > 0 || Integrity.Status == IntegrityStatus.Broken || Integrity.Problems.Count > 0;
}
