using System.Runtime.InteropServices;
using DataAccessAudit.Classification;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Aggregation;

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
public sealed class AccessReportBuilder
{
    /// <summary>How many of the top-ranked requesters may be marked as broad access.</summary>
    public const int BroadAccessTopRanks = 10;

    private readonly AccessReportOptions _options;
    private readonly AccessPolicy _policy;
    private readonly ReportPeriod _period;
    private readonly long _fromTicks;
    private readonly long _toTicks;
    private readonly LocalDayCalendar _calendar;
    private readonly Dictionary<string, long> _findings = new(StringComparer.Ordinal);
    private readonly Dictionary<(Region Requester, Region Data), OutcomeCounts> _pairs = [];
    private readonly Dictionary<string, OutcomeCounts> _categories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequesterTally> _requesters = new(StringComparer.Ordinal);
    private readonly Dictionary<Region, long> _residency = [];
    private readonly Dictionary<int, OutcomeCounts> _days = [];
    private readonly List<InputProblem> _problems = [];
    private OutcomeCounts _totals;
    private long _subjects;
    private long _problemCount;

    /// <summary>Creates a builder.</summary>
    /// <param name="options">The policy, the period and whether to re-evaluate.</param>
    public AccessReportBuilder(AccessReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Policy);
        ArgumentNullException.ThrowIfNull(options.Period);
        _options = options;
        _policy = options.Policy;
        _period = options.Period;
        _fromTicks = _period.FromInstant?.ToUnixTimeTicks() ?? long.MinValue;
        _toTicks = _period.ToInstant?.ToUnixTimeTicks() ?? long.MaxValue;
        _calendar = new LocalDayCalendar(_period.TimeZone);
    }

    /// <summary>Gets the options.</summary>
    public AccessReportOptions Options => _options;

    /// <summary>Gets how many events counted so far (those in the period).</summary>
    public long EventCount => _totals.Events;

    /// <summary>Gets how many input problems were reported so far.</summary>
    public long InputProblemCount => _problemCount;

    /// <summary>Creates an empty builder with the same options, for a worker whose result is later <see cref="Merge"/>d.</summary>
    /// <returns>The new builder.</returns>
    public AccessReportBuilder CreatePartial() => new(_options);

    /// <summary>Counts one record if its instant lies in the period.</summary>
    /// <param name="record">The event and its recorded decision, if any.</param>
    /// <returns>True when the event lies in the period and was counted.</returns>
    public bool Add(AccessRecord record)
    {
        var e = record.Event;
        ArgumentNullException.ThrowIfNull(e);
        var ticks = e.Time.ToUnixTimeTicks();
        if (ticks < _fromTicks || ticks >= _toTicks)
        {
            return false;
        }

        var decision = !_options.Reevaluate && record.Decision is { } recorded ? recorded : _policy.Evaluate(e);
        var outcome = decision.Outcome;
        var crossBorder = decision.CrossBorder;

        _totals.Add(outcome, crossBorder);
        _subjects += e.Subjects;

        foreach (var finding in decision.Findings)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_findings, finding.Name, out _)++;
        }

        var requester = e.Requester;
        var resource = e.Resource;
        CollectionsMarshal.GetValueRefOrAddDefault(_pairs, (requester.Region, resource.Region), out _).Add(outcome, crossBorder);
        CollectionsMarshal.GetValueRefOrAddDefault(_categories, resource.Category.Name, out _).Add(outcome, crossBorder);
        CollectionsMarshal.GetValueRefOrAddDefault(_days, _calendar.DayNumberOf(e.Time), out _).Add(outcome, crossBorder);

        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_requesters, requester.Id, out _);
        tally ??= new RequesterTally();
        tally.Add(outcome, crossBorder, e.Subjects, requester.Region);

        if (IsProtected(resource.Category))
        {
            tally.AddProtected(ResourceIdHash.Of(resource.Id), resource.Type);
            if (resource.StoredIn is { } storedIn && _policy.IsStoredOutsideHome(resource.Region, storedIn))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_residency, storedIn, out _)++;
            }
        }

        return true;
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

        _totals.Add(other._totals);
        _subjects += other._subjects;
        foreach (var (name, count) in other._findings)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_findings, name, out _) += count;
        }

        foreach (var (key, counts) in other._pairs)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_pairs, key, out _).Add(counts);
        }

        foreach (var (key, counts) in other._categories)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_categories, key, out _).Add(counts);
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

        _problemCount += other._problemCount;
        _problems.AddRange(other._problems);
        TrimProblems();
    }

    /// <summary>Builds the report from everything counted so far.</summary>
    /// <param name="integrity">What the source says about its integrity (<see cref="ReportIntegrity.Unverified"/> for a plain file).</param>
    /// <returns>The report.</returns>
    public AccessReport Build(ReportIntegrity integrity)
    {
        ArgumentNullException.ThrowIfNull(integrity);
        TrimProblems();

        var totals = new ReportTotals(_totals.Events, _totals.CrossBorder, _totals.Flagged, _totals.Denied, _totals.Approved, _subjects);

        var findings = _findings
            .Select(f => new FindingCount(f.Key, f.Value))
            .OrderByDescending(f => f.Events).ThenBy(f => f.Finding, StringComparer.Ordinal)
            .ToList();

        var pairs = _pairs
            .Select(p => new RegionPairCount(
                p.Key.Requester,
                p.Key.Data,
                p.Value.Events,
                _policy.IsCrossBorder(p.Key.Requester, p.Key.Data),
                p.Value.Flagged,
                p.Value.Denied,
                p.Value.Approved))
            .OrderByDescending(p => p.Events)
            .ThenBy(p => p.RequesterRegion.Code, StringComparer.Ordinal)
            .ThenBy(p => p.DataRegion.Code, StringComparer.Ordinal)
            .ToList();

        var categories = _categories
            .Select(c => new CategoryCount(c.Key, c.Value.Events, c.Value.CrossBorder, c.Value.Flagged, c.Value.Denied, c.Value.Approved))
            .OrderByDescending(c => c.Events).ThenBy(c => c.Category, StringComparer.Ordinal)
            .ToList();

        var residency = _residency
            .Select(r => new ResidencyCount(r.Key, r.Value))
            .OrderByDescending(r => r.ProtectedEvents).ThenBy(r => r.StoredIn.Code, StringComparer.Ordinal)
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
            _problemCount);
    }

    private bool IsProtected(DataCategory category) =>
        !_policy.Taxonomy.TryGetRule(category, out var rule) || rule == CrossBorderRule.RequiresApproval;

    private List<RequesterSummary> BuildRequesters()
    {
        var typesSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tally in _requesters.Values)
        {
            if (tally.ResourceTypes is { } types)
            {
                typesSeen.UnionWith(types);
            }
        }

        var ranked = _requesters
            .Select(r => (Id: r.Key, Tally: r.Value, Protected: (long)(r.Value.ProtectedResources?.Count ?? 0)))
            .OrderByDescending(r => r.Protected).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();

        var result = new List<RequesterSummary>(ranked.Count);
        for (var rank = 0; rank < ranked.Count; rank++)
        {
            var (id, tally, protectedResources) = ranked[rank];
            var types = tally.ResourceTypes?.Count ?? 0;
            var broad = typesSeen.Count >= 2 && types * 4 >= typesSeen.Count * 3 && rank < BroadAccessTopRanks && protectedResources > 0;
            result.Add(new RequesterSummary(
                id,
                tally.MostFrequentRegion(),
                tally.Counts.Events,
                tally.Counts.Flagged,
                tally.Counts.Denied,
                tally.Counts.Approved,
                tally.Counts.CrossBorder,
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
        new(LocalDayCalendar.DateOf(day), counts.Events, counts.CrossBorder, counts.Flagged, counts.Denied, counts.Approved);

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
}
