using System.Runtime.InteropServices;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Reporting.Aggregation;

// Everything a report counts, updated one access at a time: the totals, findings, region pairs, categories,
// requesters, residency, days, the accesses needing action, approvals and the bulk-data figures. It knows nothing of
// periods or decisions (AccessReportBuilder chooses what counts and how), nor of how rows are ordered (ReportRows).
internal sealed class ReportTally
{
    private readonly AccessPolicy _policy;
    private readonly LocalDayCalendar _calendar;
    private readonly SharedResourceSets _resourceSets;
    private readonly long[] _builtInFindings = new long[Finding.BuiltInCount];
    private readonly NameTable<long> _findings = new();
    private readonly Dictionary<(Region Requester, Region Data), OutcomeCounts> _pairs = new(RegionPairComparer.Instance);
    private readonly NameTable<CategoryTally> _categories = new();
    private readonly RequesterTable _requesters = new();
    private readonly Dictionary<Region, long> _residency = [];
    private readonly Dictionary<int, OutcomeCounts> _days = [];
    private readonly DecisionTally _decisions = new();
    private OutcomeCounts _totals;
    private Int128 _subjects;

    // Events mostly arrive in time order, so the current day's counts are kept aside and folded into _days when the
    // day changes (and before merging or building): one dictionary update per day instead of per event.
    private int _currentDay = int.MinValue;
    private OutcomeCounts _currentDayCounts;

    public ReportTally(AccessReportOptions options, SharedResourceSets resourceSets)
    {
        _policy = options.Policy;
        _resourceSets = resourceSets;
        _calendar = new LocalDayCalendar(options.Period.TimeZone);
        NeedingAction = new NeedingActionRuns(_policy.Id, options.NeedingActionRunLength);
        Approvals = new ApprovalTally(options.NeedingActionRows, _policy.Id);
        if (_policy.BulkData is { } bulk)
        {
            Bulk = new BulkDataTally(bulk, options.Period.TimeZone);
        }
    }

    public long EventCount => _totals.Events;

    public NeedingActionRuns NeedingAction { get; }

    public ApprovalTally Approvals { get; }

    // The bulk-data thresholds, when the policy has them.
    public BulkDataTally? Bulk { get; }

    // Counts one access known to lie in the period, with its decision already chosen.
    public void Count(in CountedAccess access)
    {
        var outcome = access.Outcome;
        var crossBorder = access.CrossBorder;

        _totals.Add(outcome, crossBorder);
        _subjects += access.Subjects;
        if (access.Recorded)
        {
            _decisions.CountRecorded(access.RecordedPolicy);
        }
        else
        {
            _decisions.CountEvaluated();
        }

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
            category.Protected = ReportRows.IsProtected(_policy, access.Category);
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
            tally.AddProtected(access.ResourceHash, access.Type, _resourceSets);
            if (access.StoredIn is { } storedIn && _policy.IsStoredOutsideHome(access.DataRegion, storedIn))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_residency, storedIn, out _)++;
            }
        }
    }

    // The tally of a requester id, created on first sight.
    public RequesterTally TallyOf(string requesterId) => _requesters.Get(requesterId);

    // The tally of a requester id given as UTF-8 (from a line), created on first sight.
    public RequesterTally TallyOf(ReadOnlySpan<byte> requesterId) => _requesters.Get(requesterId);

    // Folds the current day's counts into the days; done before merging or building.
    public void FlushDay()
    {
        if (_currentDayCounts.Events > 0)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_days, _currentDay, out _).Add(_currentDayCounts);
        }

        _currentDayCounts = default;
        _currentDay = int.MinValue;
    }

    // Adds the counts of another tally (from another worker); it must not be used afterwards.
    public void Merge(ReportTally other)
    {
        FlushDay();
        other.FlushDay();
        _totals.Add(other._totals);
        _subjects += other._subjects;
        _decisions.Merge(other._decisions);
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

        _requesters.Merge(other._requesters);

        Bulk?.Merge(other.Bulk!);
        NeedingAction.Merge(other.NeedingAction);
        Approvals.Merge(other.Approvals);
    }

    // What was counted, as the report's rows in no particular order (ReportRows orders them). Call FlushDay first.
    public ReportTotals Totals => new(_totals.ToCounts(), _subjects);

    public ReportDecisions Decisions() => _decisions.Build();

    public IEnumerable<FindingCount> Findings() =>
        Enumerable.Range(0, _findings.Count)
            .Select(i => new FindingCount(_findings.NameAt(i), _findings.ValueAt(i)))
            .Concat(_builtInFindings.Select((count, i) => new FindingCount(Finding.BuiltIn(i).Name, count)).Where(f => f.Events > 0));

    public IEnumerable<RegionPairCount> Pairs() =>
        _pairs.Select(p => new RegionPairCount(p.Key.Requester, p.Key.Data, p.Value.ToCounts()));

    public IEnumerable<CategoryCount> Categories() =>
        Enumerable.Range(0, _categories.Count).Select(i => new CategoryCount(_categories.NameAt(i), _categories.ValueAt(i).Counts.ToCounts()));

    public IEnumerable<ResidencyCount> Residency() => _residency.Select(r => new ResidencyCount(r.Key, r.Value));

    public IEnumerable<RequesterTally> Requesters => _requesters.Tallies;

    public int RequesterCount => _requesters.Count;

    public Dictionary<int, AccessCounts> Days() => _days.ToDictionary(d => d.Key, d => d.Value.ToCounts());

    // The bulk-data section for the 12 months ending on the period's last date, or (without one) on the last date
    // with events.
    public List<BulkThresholdRow> BulkThresholds(LocalDate? periodEnd)
    {
        if (Bulk is null)
        {
            return [];
        }

        if (periodEnd is { } to)
        {
            return Bulk.Build(to);
        }

        var last = Math.Max(_days.Count > 0 ? _days.Keys.Max() : int.MinValue, Bulk.LastDay);
        return last == int.MinValue ? [] : Bulk.Build(LocalDayCalendar.DateOf(last));
    }

    // Frees the tables of distinct resources, which live outside the managed heap.
    public void FreeResourceSets()
    {
        foreach (var tally in _requesters.Tallies)
        {
            tally.ProtectedResources?.Dispose();
        }
    }
}
