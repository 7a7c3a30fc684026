using System.Runtime.InteropServices;
using DataAccessAudit.BulkData;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
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
    private long _outsidePeriod;
    private readonly ReportPeriod _period;
    private readonly long _fromTicks;
    private readonly long _toTicks;
    private readonly LocalDayCalendar _calendar;
    private readonly SharedResourceSets _resourceSets;
    private readonly bool _ownsResourceSets;
    private readonly long[] _builtInFindings = new long[Finding.BuiltInCount];
    private readonly NameTable<long> _findings = new();
    private readonly Dictionary<(Region Requester, Region Data), OutcomeCounts> _pairs = new(RegionPairComparer.Instance);
    private readonly NameTable<CategoryTally> _categories = new();
    private readonly Dictionary<string, RequesterTally> _requesters = new(StringComparer.Ordinal);
    private readonly Dictionary<Region, long> _residency = [];
    private readonly Dictionary<int, OutcomeCounts> _days = [];
    private readonly List<InputProblem> _problems = [];
    private readonly NeedingActionRuns _needingAction;
    private readonly ApprovalTally _approvals;

    // The bulk-data thresholds, when the policy has them; they need the 12 months before the period's last date and the
    // 12 before those (to find the first date a threshold was crossed), so they count events from _bulkFromTicks on.
    private readonly BulkDataTally? _bulk;
    private readonly long _bulkFromTicks;
    // The instants whose local date in the zone lies from 0001-01-01 to 9999-12-31: only those can be placed on a day.
    private readonly long _placeFromTicks;
    private readonly long _placeToTicks;
    private OutcomeCounts _totals;
    private Int128 _subjects;
    private long _problemCount;

    // Events mostly arrive in time order, so the current day's counts are kept aside and folded into _days when the
    // day changes (and before merging or building): one dictionary update per day instead of per event.
    private int _currentDay = int.MinValue;
    private OutcomeCounts _currentDayCounts;

    /// <summary>Creates a builder.</summary>
    /// <param name="options">The policy, the period and whether to re-evaluate.</param>
    public AccessReportBuilder(AccessReportOptions options)
        : this(options, new SharedResourceSets())
    {
        _ownsResourceSets = true;
    }

    private AccessReportBuilder(AccessReportOptions options, SharedResourceSets resourceSets)
    {
        _resourceSets = resourceSets;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Policy);
        ArgumentNullException.ThrowIfNull(options.Period);
        _options = options;
        _needingAction = new NeedingActionRuns(options.NeedingActionRunLength);
        _approvals = new ApprovalTally(options.NeedingActionRows);
        _policy = options.Policy;
        _period = options.Period;
        _fromTicks = _period.FromInstant?.ToUnixTimeTicks() ?? long.MinValue;
        _toTicks = _period.ToInstant?.ToUnixTimeTicks() ?? long.MaxValue;
        _calendar = new LocalDayCalendar(_period.TimeZone);
        _placeFromTicks = ReportPeriod.StartOf(ReportPeriod.MinDate, _period.TimeZone).ToUnixTimeTicks();
        _placeToTicks = ReportPeriod.EndOf(ReportPeriod.MaxDate, _period.TimeZone)?.ToUnixTimeTicks() ?? long.MaxValue;
        if (_policy.BulkData is { } bulk)
        {
            _bulk = new BulkDataTally(bulk, _period.TimeZone);
            _bulkFromTicks = _period.To is { } to ? BulkDataTally.EarliestNeeded(to, _period.TimeZone).ToUnixTimeTicks() : long.MinValue;
        }
    }

    /// <summary>Gets the options.</summary>
    public AccessReportOptions Options => _options;

    /// <summary>Gets how many events counted so far (those in the period).</summary>
    public long EventCount => _totals.Events;

    /// <summary>Gets how many input problems were reported so far.</summary>
    public long InputProblemCount => _problemCount;

    /// <summary>Gets how many events were read but lay outside the period, so were not counted.</summary>
    public long EventsOutsidePeriod => _outsidePeriod;

    /// <summary>
    /// Creates an empty builder with the same options, for a worker whose result is later <see cref="Merge"/>d into this
    /// one. Partial builders share the sets of distinct protected resources (thread-safely), so memory does not grow with
    /// the number of workers; build only the builder they are merged into.
    /// </summary>
    /// <returns>The new builder.</returns>
    public AccessReportBuilder CreatePartial() => new(_options, _resourceSets);

    /// <summary>Counts one record if its instant lies in the period.</summary>
    /// <param name="record">The event and its recorded decision, if any.</param>
    /// <returns>True when the event lies in the period and was counted.</returns>
    public bool Add(AccessRecord record)
    {
        var e = record.Event;
        ArgumentNullException.ThrowIfNull(e);
        var ticks = e.Time.ToUnixTimeTicks();
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

        if (!CanPlace(ticks))
        {
            AddProblem(new InputProblem($"event '{e.Id}'", 0, UnplaceableMessage(e.Time)));
            return false;
        }

        var decision = !_options.Reevaluate && record.Decision is { } recorded ? recorded : _policy.Evaluate(e);
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
        };
        Count(in access);
        if (decision.Outcome is AccessOutcome.Flagged or AccessOutcome.Denied)
        {
            _needingAction.Add(new AccessRecord(e, decision));
        }

        if (e.Approval is { } approval)
        {
            if (!approval.IsValidAt(e.Time))
            {
                _approvals.CountOutsideWindow(new AccessRecord(e, decision), expired: approval.ValidUntil is { } until && e.Time > until);
            }
            else if (decision.Outcome == AccessOutcome.Approved)
            {
                _approvals.CountUse(approval.ApprovedBy ?? string.Empty, e.Requester.Id, approval.Id);
            }
        }

        return true;
    }

    // Whether an instant, in Unix ticks, lies in [FromInstant, ToInstant).
    internal bool InPeriod(long unixTicks) => unixTicks >= _fromTicks && unixTicks < _toTicks;

    // Whether an instant's local date in the report's zone is one a report can show (0001-01-01 to 9999-12-31).
    internal bool CanPlace(long unixTicks) => unixTicks >= _placeFromTicks && unixTicks < _placeToTicks;

    // The input problem of an event that would count but whose local date cannot be shown, or null when it can be.
    internal string? ProblemOf(Instant time)
    {
        var ticks = time.ToUnixTimeTicks();
        return (InPeriod(ticks) || InBulkRange(ticks)) && !CanPlace(ticks) ? UnplaceableMessage(time) : null;
    }

    private string UnplaceableMessage(Instant time) =>
        $"time {NodaTime.Text.InstantPattern.ExtendedIso.Format(time)} falls on a local date in {_period.TimeZone.Id} outside "
        + "0001-01-01 to 9999-12-31, the dates a report can show; the event is not counted";

    private void AddBulk(AccessEvent e)
    {
        if (!_bulk!.Counts(e.Requester.Id, e.Requester.Region, e.Requester.Organization, e.Resource.Region, e.Resource.Type))
        {
            return;
        }

        var keys = e.SubjectKeys;
        var hashes = keys.Count <= 64 ? stackalloc ulong[keys.Count] : new ulong[keys.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = DistinctCountSketch.Hash(keys[i]);
        }

        _bulk.Add(e.Time.ToUnixTimeTicks(), e.Requester.Id, e.Requester.Region, e.Requester.Organization, e.Resource.Region, e.Resource.Type, e.Subjects, hashes);
    }

    // Whether an access the fast scanner read counts toward the bulk-data thresholds (before hashing its keys).
    internal bool CountsTowardBulk(in CountedAccess access, string? organization) =>
        access.Outcome != AccessOutcome.Denied && _bulk!.Counts(access.RequesterId, access.RequesterRegion, organization, access.DataRegion, access.Type);

    // Whether an instant, in Unix ticks, counts toward the bulk-data thresholds (when the policy has them).
    internal bool InBulkRange(long unixTicks) => _bulk is not null && unixTicks >= _bulkFromTicks && unixTicks < _toTicks;

    // Counts one access toward the bulk-data thresholds; the caller checked InBulkRange. A denied access reached no data.
    internal void CountBulk(in CountedAccess access, string? organization, ReadOnlySpan<ulong> subjectKeyHashes)
    {
        if (access.Outcome != AccessOutcome.Denied)
        {
            _bulk!.Add(access.UnixTicks, access.RequesterId, access.RequesterRegion, organization, access.DataRegion, access.Type, access.Subjects, subjectKeyHashes);
        }
    }

    // Notes an event read but not counted because it lies outside the period: an empty report says how many there were.
    internal void CountOutsidePeriod() => _outsidePeriod++;

    // Counts one access known to lie in the period, with its decision already chosen.
    internal void Count(in CountedAccess access)
    {
        var outcome = access.Outcome;
        var crossBorder = access.CrossBorder;

        _totals.Add(outcome, crossBorder);
        _subjects += access.Subjects;

        for (var mask = access.BuiltInFindings; mask != 0; mask &= mask - 1)
        {
            _builtInFindings[System.Numerics.BitOperations.TrailingZeroCount(mask)]++;
        }

        if (!access.Findings.IsEmpty)
        {
            foreach (var finding in access.Findings)
            {
                var index = finding.BuiltInIndex;
                if (index >= 0)
                {
                    _builtInFindings[index]++;
                }
                else
                {
                    _findings.GetOrAdd(finding.Name)++;
                }
            }
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_pairs, (access.RequesterRegion, access.DataRegion), out _).Add(outcome, crossBorder);

        ref var category = ref _categories.GetOrAdd(access.Category);
        if (!category.Known)
        {
            category.Known = true;
            category.Protected = IsProtected(access.Category);
        }

        category.Counts.Add(outcome, crossBorder);

        var day = _calendar.DayNumberOf(access.UnixTicks);
        if (day != _currentDay)
        {
            FlushDay();
            _currentDay = day;
        }

        _currentDayCounts.Add(outcome, crossBorder);

        var tally = access.Tally ?? TallyOf(access.RequesterId);
        tally.Add(outcome, crossBorder, access.Subjects, access.RequesterRegion);

        if (category.Protected)
        {
            tally.AddProtected(access.ResourceHash, access.Type, _resourceSets, access.RequesterId);
            if (access.StoredIn is { } storedIn && _policy.IsStoredOutsideHome(access.DataRegion, storedIn))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_residency, storedIn, out _)++;
            }
        }
    }

    // Lists an access needing action that the fast scanner read, as its line (which holds the recorded decision).
    internal void AddNeedingAction(ActionSeverity severity, long unixTicks, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line) =>
        _needingAction.Add(severity, unixTicks, id, line);

    // Counts an approved access that the fast scanner read under its (valid) approval.
    internal void CountApprovalUse(string approver, string requesterId, string approvalId) => _approvals.CountUse(approver, requesterId, approvalId);

    // The tally of a requester id, created on first sight.
    internal RequesterTally TallyOf(string requesterId)
    {
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_requesters, requesterId, out _);
        return tally ??= new RequesterTally();
    }

    private void FlushDay()
    {
        if (_currentDayCounts.Events > 0)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_days, _currentDay, out _).Add(_currentDayCounts);
        }

        _currentDayCounts = default;
        _currentDay = int.MinValue;
    }

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
        _problemCount++;
        _problems.Add(problem);

        // Keep memory bounded: when the list doubles past the limit, keep only the first problems in order.
        if (_problems.Count >= Math.Max(2 * _options.MaxInputProblems, 64))
        {
            TrimProblems();
        }
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

        FlushDay();
        other.FlushDay();
        _totals.Add(other._totals);
        _subjects += other._subjects;
        _outsidePeriod += other._outsidePeriod;
        for (var i = 0; i < _builtInFindings.Length; i++)
        {
            _builtInFindings[i] += other._builtInFindings[i];
        }

        for (var i = 0; i < other._findings.Count; i++)
        {
            _findings.GetOrAdd(other._findings.NameAt(i)) += other._findings.ValueAt(i);
        }

        foreach (var (key, counts) in other._pairs)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_pairs, key, out _).Add(counts);
        }

        for (var i = 0; i < other._categories.Count; i++)
        {
            ref var theirs = ref other._categories.ValueAt(i);
            ref var mine = ref _categories.GetOrAdd(other._categories.NameAt(i));
            mine.Known = theirs.Known;
            mine.Protected = theirs.Protected;
            mine.Counts.Add(theirs.Counts);
        }

        foreach (var (key, counts) in other._days)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_days, key, out _).Add(counts);
        }

        foreach (var (key, count) in other._residency)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_residency, key, out _) += count;
        }

        foreach (var (id, theirs) in other._requesters)
        {
            ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(_requesters, id, out var exists);
            if (exists)
            {
                mine!.Merge(theirs);
            }
            else
            {
                mine = theirs;
            }
        }

        _bulk?.Merge(other._bulk!);
        _needingAction.Merge(other._needingAction);
        _approvals.Merge(other._approvals);
        _problemCount += other._problemCount;
        _problems.AddRange(other._problems);
        TrimProblems();
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
        FlushDay();
        TrimProblems();

        var totals = new ReportTotals(_totals.ToCounts(), _subjects);

        var findings = Enumerable.Range(0, _findings.Count)
            .Select(i => new FindingCount(_findings.NameAt(i), _findings.ValueAt(i)))
            .Concat(_builtInFindings.Select((count, i) => new FindingCount(Finding.BuiltIn(i).Name, count)).Where(f => f.Events > 0))
            .OrderByDescending(f => f.Events).ThenBy(f => f.Finding, StringComparer.Ordinal)
            .ToList();

        var pairs = _pairs
            .Select(p => new RegionPairCount(p.Key.Requester, p.Key.Data, p.Value.ToCounts()))
            .OrderByDescending(p => p.Counts.Events)
            .ThenBy(p => p.RequesterRegion)
            .ThenBy(p => p.DataRegion)
            .ToList();

        var categories = Enumerable.Range(0, _categories.Count)
            .Select(i => (Name: _categories.NameAt(i), _categories.ValueAt(i).Counts))
            .Select(c => new CategoryCount(c.Name, c.Counts.ToCounts()))
            .OrderByDescending(c => c.Counts.Events).ThenBy(c => c.Category, StringComparer.Ordinal)
            .ToList();

        var residency = _residency
            .Select(r => new ResidencyCount(r.Key, r.Value))
            .OrderByDescending(r => r.ProtectedEvents).ThenBy(r => r.StoredIn)
            .ToList();

        return new AccessReport(
            _policy.Id,
            _period,
            totals,
            findings,
            pairs,
            categories,
            BuildRequesters(),
            residency,
            BuildDaily(),
            integrity,
            _problems.ToList().AsReadOnly(),
            _problemCount)
        {
            BulkThresholds = BuildBulkThresholds(),
            Source = source,
            EventsOutsidePeriod = _outsidePeriod,
            NeedingAction = _needingAction.Build(_options.NeedingActionRows),
            Approvals = _approvals.Build(),
        };
    }

    // The section for the 12 months ending on the period's last date, or (without one) on the last date with events.
    private List<BulkThresholdRow> BuildBulkThresholds()
    {
        if (_bulk is null)
        {
            return [];
        }

        if (_period.To is { } to)
        {
            return _bulk.Build(to);
        }

        var last = Math.Max(_days.Count > 0 ? _days.Keys.Max() : int.MinValue, _bulk.LastDay);
        return last == int.MinValue ? [] : _bulk.Build(LocalDayCalendar.DateOf(last));
    }

    private bool IsProtected(string category) =>
        !_policy.Taxonomy.TryGetRule(new DataCategory(category), out var rule) || rule == CrossBorderRule.RequiresApproval;

    private List<RequesterSummary> BuildRequesters()
    {
        var typesSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tally in _requesters.Values)
        {
            typesSeen.UnionWith(tally.ResourceTypes);
        }

        var ranked = _requesters
            .Select(r => (Id: r.Key, Tally: r.Value, Protected: (long)(r.Value.ProtectedResources?.Count ?? 0)))
            .OrderByDescending(r => r.Protected).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();

        var result = new List<RequesterSummary>(ranked.Count);
        for (var rank = 0; rank < ranked.Count; rank++)
        {
            var (id, tally, protectedResources) = ranked[rank];
            var types = tally.ResourceTypeCount;
            var broad = typesSeen.Count >= 2 && types * 4 >= typesSeen.Count * 3 && rank < BroadAccessTopRanks && protectedResources > 0;
            result.Add(new RequesterSummary(
                id,
                tally.MostFrequentRegion(),
                tally.Counts.ToCounts(),
                protectedResources,
                types,
                tally.Subjects,
                broad));
        }

        return result;
    }

    private List<DailyCount> BuildDaily()
    {
        var result = new List<DailyCount>();
        if (_period.From is { } from && _period.To is { } to)
        {
            // A bounded period lists every date, days without events as zeros.
            var first = LocalDayCalendar.DayNumberOf(from);
            var last = LocalDayCalendar.DayNumberOf(to);
            for (var day = first; day <= last; day++)
            {
                _days.TryGetValue(day, out var counts);
                result.Add(ToDaily(day, counts));
            }

            return result;
        }

        foreach (var day in _days.Keys.Order())
        {
            result.Add(ToDaily(day, _days[day]));
        }

        return result;
    }

    private static DailyCount ToDaily(int day, OutcomeCounts counts) =>
        new(LocalDayCalendar.DateOf(day), counts.ToCounts());

    private void TrimProblems()
    {
        if (_problems.Count <= _options.MaxInputProblems && IsSorted())
        {
            return;
        }

        _problems.Sort(static (a, b) =>
        {
            var bySource = string.CompareOrdinal(a.Source, b.Source);
            return bySource != 0 ? bySource : a.Line.CompareTo(b.Line);
        });
        if (_problems.Count > _options.MaxInputProblems)
        {
            _problems.RemoveRange(_options.MaxInputProblems, _problems.Count - _options.MaxInputProblems);
        }
    }

    private bool IsSorted()
    {
        for (var i = 1; i < _problems.Count; i++)
        {
            var a = _problems[i - 1];
            var b = _problems[i];
            var bySource = string.CompareOrdinal(a.Source, b.Source);
            if (bySource > 0 || (bySource == 0 && a.Line > b.Line))
            {
                return false;
            }
        }

        return true;
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

        foreach (var tally in _requesters.Values)
        {
            tally.ProtectedResources?.Dispose();
        }

        _resourceSets.Dispose();
    }
}
