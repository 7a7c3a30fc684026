using DataAccessAudit.BulkData;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Aggregation;
using NodaTime;

namespace DataAccessAudit.Reporting;

/// <summary>
/// Aggregates a stream of access records, one at a time, into an <see cref="AccessReport"/>: the streaming engine
/// behind every report format. It never sees where events come from: a plain file, the durable log or a database
/// all hand it <see cref="AccessRecord"/>s, input problems and, at the end, their integrity.
/// </summary>
/// <remarks>
/// <para>
/// Memory is proportional to the distinct requesters, region pairs, categories and days, plus one 64-bit hash per
/// distinct protected resource per requester (to count distinct resources exactly enough without keeping the ids),
/// never to the number of events. An instance is not thread-safe: to use several cores, give each worker its own
/// builder (<see cref="CreatePartial"/>) and <see cref="Merge"/> them; merging is order-independent, so the report
/// is the same however the events were split.
/// </para>
/// <para>
/// An event counts when its instant lies in the period. Its decision is the recorded one when it carries one, else
/// (and always with <see cref="AccessReportOptions.Reevaluate"/>) the policy's. An access is <em>protected</em> when
/// the policy's taxonomy says its category requires approval to cross a border, or does not know the category
/// (the evaluator fails closed the same way).
/// </para>
/// <para>
/// Broad access: a requester is marked when (1) at least two distinct protected resource types were seen in the
/// period, (2) the requester reached at least three quarters of them, and (3) the requester ranks among the first
/// <see cref="BroadAccessTopRanks"/> by distinct protected resources. The first two say "reaches most kinds of
/// protected data"; the third keeps an account that touched one record of each kind from being marked beside the
/// accounts that reach everything, in bulk.
/// </para>
/// </remarks>
public sealed class AccessReportBuilder : IDisposable
{
    /// <summary>How many of the top-ranked requesters may be marked as broad access.</summary>
    public const int BroadAccessTopRanks = 10;

    private readonly AccessReportOptions _options;
    private readonly AccessPolicy _policy;
    private readonly ReportPeriod _period;
    private readonly long _fromTicks;
    private readonly long _toTicks;
    private readonly SharedResourceSets _resourceSets;
    private readonly bool _ownsResourceSets;
    private readonly ReportTally _tally;
    private readonly InputSourceOrder _sources;
    private readonly InputProblemList _problems;
    private long _outsidePeriod;

    // The bulk-data thresholds need the 12 months before the period's last date and the 12 before those (to find the
    // first date a threshold was crossed), so they count events from _bulkFromTicks on.
    private readonly long _bulkFromTicks;
    // The instants whose local date in the zone lies from 0001-01-01 to 9999-12-31: only those can be placed on a day.
    private readonly long _placeFromTicks;
    private readonly long _placeToTicks;

    /// <summary>Creates a builder.</summary>
    /// <param name="options">The policy, the period and whether to re-evaluate.</param>
    public AccessReportBuilder(AccessReportOptions options)
        : this(options, new SharedResourceSets(), new InputSourceOrder())
    {
        _ownsResourceSets = true;
    }

    private AccessReportBuilder(AccessReportOptions options, SharedResourceSets resourceSets, InputSourceOrder sources)
    {
        _resourceSets = resourceSets;
        _sources = sources;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Policy);
        ArgumentNullException.ThrowIfNull(options.Period);
        _options = options;
        _policy = options.Policy;
        _period = options.Period;
        _tally = new ReportTally(options, resourceSets);
        _problems = new InputProblemList(options.MaxInputProblems, sources);
        _fromTicks = _period.FromInstant?.ToUnixTimeTicks() ?? long.MinValue;
        _toTicks = _period.ToInstant?.ToUnixTimeTicks() ?? long.MaxValue;
        _placeFromTicks = ReportPeriod.StartOf(ReportPeriod.MinDate, _period.TimeZone).ToUnixTimeTicks();
        _placeToTicks = ReportPeriod.EndOf(ReportPeriod.MaxDate, _period.TimeZone)?.ToUnixTimeTicks() ?? long.MaxValue;
        if (_tally.Bulk is not null)
        {
            _bulkFromTicks = _period.To is { } to ? BulkDataTally.EarliestNeeded(to, _period.TimeZone).ToUnixTimeTicks() : long.MinValue;
        }
    }

    /// <summary>Gets the options.</summary>
    public AccessReportOptions Options => _options;

    /// <summary>Gets how many events counted so far (those in the period).</summary>
    public long EventCount => _tally.EventCount;

    /// <summary>Gets how many input problems were reported so far.</summary>
    public long InputProblemCount => _problems.Count;

    /// <summary>Gets how many events were read but lay outside the period, so were not counted.</summary>
    public long EventsOutsidePeriod => _outsidePeriod;

    /// <summary>
    /// Creates an empty builder with the same options, for a worker whose result is later <see cref="Merge"/>d into this
    /// one. Partial builders share the sets of distinct protected resources (thread-safely), so memory does not grow with
    /// the number of workers; build only the builder they are merged into.
    /// </summary>
    /// <returns>The new builder.</returns>
    public AccessReportBuilder CreatePartial() => new(_options, _resourceSets, _sources);

    // Notes that the lines of a source are about to be counted, so that its problems are listed after those of the
    // sources noted before it (by line within it). Called on the one thread that reads, before it hands lines over.
    internal void NoteSource(string source) => _sources.RankOf(source);

    /// <summary>Counts one record if its instant lies in the period.</summary>
    /// <param name="record">The event and its recorded decision, if any.</param>
    /// <returns>True when the event lies in the period and was counted.</returns>
    public bool Add(AccessRecord record)
    {
        var e = record.Event;
        ArgumentNullException.ThrowIfNull(e);
        var ticks = e.Time.ToUnixTimeTicks();

        // An event no report can place on a day is a problem whatever the period, as an invalid line is.
        if (!CanPlace(ticks))
        {
            AddProblem(new InputProblem($"event '{e.Id}'", 0, UnplaceableMessage(_period.TimeZone, e.Time)));
            return false;
        }

        var inPeriod = InPeriod(ticks);
        var inBulkRange = InBulkRange(ticks);
        if (!inPeriod)
        {
            _outsidePeriod++;
        }

        if (!inPeriod && !inBulkRange)
        {
            return false;
        }

        var useRecorded = !_options.Reevaluate && record.Decision is not null;
        var decision = useRecorded ? record.Decision!.Value : _policy.Evaluate(e);
        if (inBulkRange && decision.Outcome != AccessOutcome.Denied)
        {
            AddBulk(e);
        }

        if (!inPeriod)
        {
            return false;
        }

        var access = new CountedAccess
        {
            UnixTicks = ticks,
            RequesterId = e.Requester.Id,
            RequesterRegion = e.Requester.Region,
            Category = e.Resource.Category.Name,
            DataRegion = e.Resource.Region,
            StoredIn = e.Resource.StoredIn,
            ResourceHash = ResourceIdHash.Of(e.Resource.Id),
            Type = e.Resource.Type,
            Subjects = e.Subjects,
            Outcome = decision.Outcome,
            CrossBorder = decision.CrossBorder,
            Findings = decision.Findings,
            Recorded = useRecorded,
            RecordedPolicy = useRecorded ? decision.Policy : null,
        };
        _tally.Count(in access);
        if (decision.Outcome is AccessOutcome.Flagged or AccessOutcome.Denied)
        {
            _tally.NeedingAction.Add(new AccessRecord(e, decision));
        }

        if (e.Approval is { } approval)
        {
            if (!approval.IsValidAt(e.Time))
            {
                _tally.Approvals.CountOutsideWindow(new AccessRecord(e, decision), expired: approval.ValidUntil is { } until && e.Time > until);
            }
            else if (decision.Outcome == AccessOutcome.Approved)
            {
                _tally.Approvals.CountUse(approval.ApprovedBy ?? string.Empty, e.Requester.Id, approval.Id);
            }
        }

        return true;
    }

    // Whether an instant, in Unix ticks, lies in [FromInstant, ToInstant).
    internal bool InPeriod(long unixTicks) => unixTicks >= _fromTicks && unixTicks < _toTicks;

    // Whether an instant's local date in the report's zone is one a report can show (0001-01-01 to 9999-12-31).
    internal bool CanPlace(long unixTicks) => unixTicks >= _placeFromTicks && unixTicks < _placeToTicks;

    // The input problem of an event whose local date cannot be shown (whatever the period), or null when it can be.
    internal string? ProblemOf(Instant time) => CanPlace(time.ToUnixTimeTicks()) ? null : UnplaceableMessage(_period.TimeZone, time);

    // The words of that problem; the PostgreSQL report words it the same.
    internal static string UnplaceableMessage(DateTimeZone zone, Instant time) =>
        $"time {NodaTime.Text.InstantPattern.ExtendedIso.Format(time)} falls on a local date in {zone.Id} outside "
        + "0001-01-01 to 9999-12-31, the dates a report can show; the event is not counted";

    private void AddBulk(AccessEvent e)
    {
        var bulk = _tally.Bulk!;
        if (!bulk.Counts(e.Requester.Id, e.Requester.Region, e.Requester.Organization, e.Resource.Region, e.Resource.Type))
        {
            return;
        }

        var keys = e.SubjectKeys;
        var hashes = keys.Count <= 64 ? stackalloc ulong[keys.Count] : new ulong[keys.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = DistinctCountSketch.Hash(keys[i]);
        }

        bulk.Add(e.Time.ToUnixTimeTicks(), e.Requester.Id, e.Requester.Region, e.Requester.Organization, e.Resource.Region, e.Resource.Type, e.Subjects, hashes);
    }

    // Whether an access the fast scanner read counts toward the bulk-data thresholds (before hashing its keys).
    internal bool CountsTowardBulk(in CountedAccess access, string? organization) =>
        access.Outcome != AccessOutcome.Denied && _tally.Bulk!.Counts(access.RequesterId, access.RequesterRegion, organization, access.DataRegion, access.Type);

    // Whether an instant, in Unix ticks, counts toward the bulk-data thresholds (when the policy has them).
    internal bool InBulkRange(long unixTicks) => _tally.Bulk is not null && unixTicks >= _bulkFromTicks && unixTicks < _toTicks;

    // Counts one access toward the bulk-data thresholds; the caller checked InBulkRange. A denied access reached no data.
    internal void CountBulk(in CountedAccess access, string? organization, ReadOnlySpan<ulong> subjectKeyHashes)
    {
        if (access.Outcome != AccessOutcome.Denied)
        {
            _tally.Bulk!.Add(access.UnixTicks, access.RequesterId, access.RequesterRegion, organization, access.DataRegion, access.Type, access.Subjects, subjectKeyHashes);
        }
    }

    // Notes an event read but not counted because it lies outside the period: an empty report says how many there were.
    internal void CountOutsidePeriod() => _outsidePeriod++;

    // Counts one access known to lie in the period, with its decision already chosen.
    internal void Count(in CountedAccess access) => _tally.Count(in access);

    // Lists an access needing action that the fast scanner read, as its line and the decision the report used (the
    // line's own, or the evaluated one packed by NeedingActionDecision).
    // subTick: the nanoseconds of its time past unixTicks (ScannedAccessEvent.SubTick).
    internal void AddNeedingAction(ActionSeverity severity, long unixTicks, byte subTick, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision) =>
        _tally.NeedingAction.Add(severity, unixTicks, subTick, id, line, decision);

    // The same for a line that lies at position in the input file source, which can be read again when listed.
    internal void AddNeedingAction(ActionSeverity severity, long unixTicks, byte subTick, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision, string source, long position) =>
        _tally.NeedingAction.Add(severity, unixTicks, subTick, id, line, decision, source, position);

    // The policy the report evaluates with.
    internal AccessPolicy Policy => _policy;

    // Counts an approved access that the fast scanner read under its (valid) approval.
    internal void CountApprovalUse(string approver, string requesterId, string approvalId) => _tally.Approvals.CountUse(approver, requesterId, approvalId);

    // Counts an access the fast reader read whose approval did not cover its time, with the decision the report used
    // (NeedingActionDecision).
    internal void CountApprovalOutsideWindow(NodaTime.Instant time, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision, bool expired) =>
        _tally.Approvals.CountOutsideWindow(time, id, line, decision, expired);

    // The tally of a requester id, created on first sight.
    internal RequesterTally TallyOf(string requesterId) => _tally.TallyOf(requesterId);

    // The tally of a requester id given as UTF-8 (from a line), created with the id's string on first sight.
    internal RequesterTally TallyOf(ReadOnlySpan<byte> requesterId) => _tally.TallyOf(requesterId);

    /// <summary>Counts every record of a sequence.</summary>
    /// <param name="records">The records.</param>
    public void AddRange(IEnumerable<AccessRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Add(record);
        }
    }

    /// <summary>Counts every record of an asynchronous stream.</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>A task that completes when the stream ends.</returns>
    public async Task AddRangeAsync(IAsyncEnumerable<AccessRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Add(record);
        }
    }

    /// <summary>
    /// Notes a line of input that was not an event. Pass this method as the problem callback of a reader, such as
    /// <see cref="AccessEventReader.ReadFileAsync"/>.
    /// </summary>
    /// <param name="problem">Where and why.</param>
    public void AddProblem(InputProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _problems.Add(problem);
    }

    /// <summary>Adds the counts of another builder with the same options (from another worker) to this one.</summary>
    /// <param name="other">The other builder; it must not be used afterwards.</param>
    /// <exception cref="ArgumentException"><paramref name="other"/> has other options.</exception>
    public void Merge(AccessReportBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other._options, _options))
        {
            throw new ArgumentException("Only builders made with CreatePartial from the same options can be merged.", nameof(other));
        }

        _tally.Merge(other._tally);
        _outsidePeriod += other._outsidePeriod;
        _problems.Merge(other._problems);
    }

    /// <summary>Builds the report from everything counted so far.</summary>
    /// <param name="integrity">What the source says about its integrity (<see cref="ReportIntegrity.Unverified"/> for a plain file).</param>
    /// <returns>The report.</returns>
    public AccessReport Build(ReportIntegrity integrity) => Build(integrity, source: null);

    /// <summary>Builds the report from everything counted so far, saying what it was computed from.</summary>
    /// <param name="integrity">What the source says about its integrity (<see cref="ReportIntegrity.Unverified"/> for a plain file).</param>
    /// <param name="source">The input files, the tool and when the report is generated; null to leave it out.</param>
    /// <returns>The report.</returns>
    public AccessReport Build(ReportIntegrity integrity, ReportSource? source)
    {
        ArgumentNullException.ThrowIfNull(integrity);
        _tally.FlushDay();
        return new AccessReport(
            _policy.Id,
            _period,
            _tally.Totals,
            ReportRows.Findings(_tally.Findings()),
            ReportRows.Pairs(_tally.Pairs()),
            ReportRows.Categories(_tally.Categories()),
            new RequesterRows(_tally.Requesters, _tally.RequesterCount),
            ReportRows.Residency(_tally.Residency()),
            ReportRows.Daily(_period, _tally.Days()),
            integrity,
            _problems.ToList(),
            _problems.Count)
        {
            BulkThresholds = _tally.BulkThresholds(_period.To),
            Source = source,
            EventsOutsidePeriod = _outsidePeriod,
            NeedingAction = _tally.NeedingAction.Build(_options.NeedingActionRows),
            Approvals = _tally.Approvals.Build(),
            DecidedBy = _tally.Decisions(),
        };
    }

    /// <summary>
    /// Frees the tables of distinct resources, which live outside the managed heap (they are also freed when the
    /// builder is collected, but a process that builds many reports should not wait for that). Reports built before
    /// stay valid; the builder cannot count any more. Partial builders share the tables of the builder they were made
    /// from: disposing one of them does nothing.
    /// </summary>
    public void Dispose()
    {
        if (!_ownsResourceSets)
        {
            return;
        }

        _tally.FreeResourceSets();
        _resourceSets.Dispose();
    }
}
