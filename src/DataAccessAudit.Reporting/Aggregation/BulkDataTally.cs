using System.Numerics;
using System.Runtime.InteropServices;
using DataAccessAudit.BulkData;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Reporting.Aggregation;

// Counts, per kind of sensitive data, per counterparty and per local day, the people whose data was reached (a sketch of
// their subject keys, and the subjects no key stands for), then builds the bulkThresholds section for the 12
// months ending on a date. Days are kept separately so that any 12-month window is a union of days: the section's own,
// and every earlier one needed to find the first date a threshold was crossed.
internal sealed class BulkDataTally
{
    private readonly BulkDataPolicy _policy;
    private readonly LocalDayCalendar _calendar;
    private readonly Dictionary<(string Name, bool IsOrganization, int Kind), Dictionary<int, BulkDay>> _cells = [];

    public BulkDataTally(BulkDataPolicy policy, DateTimeZone zone)
    {
        _policy = policy;
        _calendar = new LocalDayCalendar(zone);
    }

    // The latest local day with a counted access, for a report without an end date.
    public int LastDay { get; private set; } = int.MinValue;

    // The first instant a report ending on windowEnd needs: the start of the 12 months before its window's first date.
    // That date may be one the zone skipped (Samoa's 30 December 2011), which has no midnight: it starts where the
    // period's dates do.
    public static Instant EarliestNeeded(LocalDate windowEnd, DateTimeZone zone) =>
        ReportPeriod.StartOf(BulkWindow.EndingOn(BulkWindow.EndingOn(windowEnd).Start).Start, zone);

    public void Add(long unixTicks, string requesterId, Region requesterRegion, string? organization, Region dataRegion, string? type, long subjects, ReadOnlySpan<ulong> keys)
    {
        var mask = _policy.KindMaskOf(type);
        if (mask == 0 || !_policy.TryGetCounterparty(requesterId, requesterRegion, organization, dataRegion, out var counterparty))
        {
            return;
        }

        var day = _calendar.DayNumberOf(unixTicks);
        LastDay = Math.Max(LastDay, day);
        for (var bits = mask; bits != 0; bits &= bits - 1)
        {
            var kind = BitOperations.TrailingZeroCount(bits);
            ref var days = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells, (counterparty.Name, counterparty.IsOrganization, kind), out _);
            days ??= [];
            ref var cell = ref CollectionsMarshal.GetValueRefOrAddDefault(days, day, out _);
            cell ??= new BulkDay();
            var people = cell.Subjects;
            people.Bound = -1;
            people.Keyless += PersonCount.WithoutKeys(subjects, keys.Length);
            if (!keys.IsEmpty)
            {
                people.Keys ??= new DistinctCountSketch();
                foreach (var key in keys)
                {
                    people.Keys.Add(key);
                }
            }

            people.CombinedWith |= _policy.CombinedWith(mask, kind);

            CollectionsMarshal.GetValueRefOrAddDefault(cell.Requesters, requesterId, out _) += subjects;
        }
    }

    // Whether an access counts at all: its type carries a kind, its data is about the right people, its requester counts.
    public bool Counts(string requesterId, Region requesterRegion, string? organization, Region dataRegion, string? type) =>
        _policy.KindMaskOf(type) != 0 && _policy.TryGetCounterparty(requesterId, requesterRegion, organization, dataRegion, out _);

    public void Merge(BulkDataTally other)
    {
        LastDay = Math.Max(LastDay, other.LastDay);
        foreach (var (key, theirs) in other._cells)
        {
            ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells, key, out var exists);
            if (!exists)
            {
                mine = theirs;
                continue;
            }

            MergeDays(mine!, theirs);
        }
    }

    // The section for the 12 months ending on windowEnd: for each kind in the policy's order, the total over all
    // counterparties, then each counterparty by fraction of the threshold, descending.
    public List<BulkThresholdRow> Build(LocalDate windowEnd)
    {
        var window = BulkWindow.EndingOn(windowEnd);
        var rows = new List<BulkThresholdRow>();
        for (var kind = 0; kind < _policy.Kinds.Count; kind++)
        {
            var total = new Dictionary<int, BulkDay>();
            var counterparties = new List<BulkThresholdRow>();
            foreach (var ((name, isOrganization, k), days) in _cells)
            {
                if (k != kind)
                {
                    continue;
                }

                if (BuildRow(kind, new BulkCounterparty(name, isOrganization), days, window) is { } row)
                {
                    counterparties.Add(row);
                }

                MergeDays(total, days, copy: true);
            }

            rows.Add(BuildRow(kind, null, total, window) ?? EmptyRow(kind, window));
            rows.AddRange(counterparties
                .OrderByDescending(r => r.Fraction ?? (r.Crossed ? double.PositiveInfinity : 0))
                .ThenByDescending(r => r.DistinctPersons)
                .ThenBy(r => r.Counterparty!.Value.Name, StringComparer.Ordinal)
                .ThenBy(r => r.Counterparty!.Value.IsOrganization));
        }

        return rows;
    }

    private static void MergeDays(Dictionary<int, BulkDay> into, Dictionary<int, BulkDay> from, bool copy = false)
    {
        foreach (var (day, theirs) in from)
        {
            ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(into, day, out var exists);
            if (!exists && !copy)
            {
                mine = theirs;
                continue;
            }

            mine ??= new BulkDay();
            mine.Merge(theirs);
        }
    }

    private BulkThresholdRow EmptyRow(int kind, BulkWindow window)
    {
        var k = _policy.Kinds[kind];
        return new BulkThresholdRow(k.Name, k.Unit, null, window, 0, BulkCountBasis.Exact, 0, k.Threshold, [], null, []);
    }

    private BulkThresholdRow? BuildRow(int kind, BulkCounterparty? counterparty, Dictionary<int, BulkDay> days, BulkWindow window)
    {
        var k = _policy.Kinds[kind];
        var first = LocalDayCalendar.DayNumberOf(window.Start);
        var last = LocalDayCalendar.DayNumberOf(window.End);
        var earliest = LocalDayCalendar.DayNumberOf(BulkWindow.EndingOn(window.Start).Start);
        var ordered = days.Keys.Where(d => d >= earliest && d <= last).Order().ToList();
        if (ordered.Count == 0)
        {
            return null;
        }

        // No window can cross a threshold lower than the lowest that any day's combination allows.
        var combinations = 0UL;
        foreach (var day in ordered)
        {
            combinations |= days[day].Subjects.CombinedWith;
        }

        var lowest = _policy.ThresholdOf(kind, combinations);

        var slider = new BulkWindowSlider();
        var next = 0;
        LocalDate? firstCrossed = null;
        BulkSubjects? final = null;
        // A figure rises only on a day with accesses, so the first crossing in the window is on such a day, or on the
        // window's first date when the 12 months before it already held more than the threshold.
        var evaluations = ordered.Where(d => d >= first).Prepend(first).Append(last).Distinct();
        foreach (var day in evaluations)
        {
            for (; next < ordered.Count && ordered[next] <= day; next++)
            {
                slider.Push(ordered[next], days[ordered[next]].Subjects);
            }

            slider.DropBefore(LocalDayCalendar.DayNumberOf(BulkWindow.EndingOn(LocalDayCalendar.DateOf(day)).Start));
            BulkSubjects? union = null;
            if (firstCrossed is null && BulkThreshold.IsCrossed(PersonCount.Clamp(slider.UpperBound), lowest))
            {
                union = slider.Union();
                if (BulkThreshold.IsCrossed(PersonCount.Clamp(union.Count), _policy.ThresholdOf(kind, union.CombinedWith)))
                {
                    firstCrossed = LocalDayCalendar.DateOf(day);
                }
            }

            if (day == last)
            {
                final = union ?? slider.Union();
            }
        }

        var requesters = new Dictionary<string, Int128>(StringComparer.Ordinal);
        foreach (var day in ordered)
        {
            if (day >= first)
            {
                foreach (var (id, records) in days[day].Requesters)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(requesters, id, out _) += records;
                }
            }
        }

        var top = requesters
            .OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Take(BulkThresholdRow.MaxTopRequesters)
            .Select(r => new BulkContributor(r.Key, r.Value))
            .ToList();
        var basis = final!.Basis;
        var combinedWith = new List<string>();
        for (var bits = final.CombinedWith; bits != 0; bits &= bits - 1)
        {
            combinedWith.Add(_policy.Kinds[BitOperations.TrailingZeroCount(bits)].Name);
        }

        return new BulkThresholdRow(
            k.Name,
            k.Unit,
            counterparty,
            window,
            PersonCount.Clamp(final.Count),
            basis,
            basis == BulkCountBasis.Estimated ? DistinctCountSketch.RelativeStandardError : 0,
            _policy.ThresholdOf(kind, final.CombinedWith),
            combinedWith,
            firstCrossed,
            top);
    }
}
