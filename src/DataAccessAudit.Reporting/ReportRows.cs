using DataAccessAudit.Classification;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting;

// Turns counted groups into the report's rows: the one place that says how each list is ordered, which requesters
// have broad access, which dates the daily table lists and which categories are protected. AccessReportBuilder uses
// it for what it counted and the PostgreSQL store for what its queries grouped, so both give the same report.
internal static class ReportRows
{
    // By events, most first, then by name.
    public static List<FindingCount> Findings(IEnumerable<FindingCount> findings) =>
        findings.OrderByDescending(f => f.Events).ThenBy(f => f.Finding, StringComparer.Ordinal).ToList();

    // By events, most first, then by policy name (ordinal; a recorded decision that names none first).
    public static List<RecordedPolicyCount> RecordedPolicies(IEnumerable<RecordedPolicyCount> policies) =>
        policies.OrderByDescending(p => p.Events).ThenBy(p => p.Policy, StringComparer.Ordinal).ToList();

    // By events, most first, then by requester region and data region (Region's order: by code, unknown last).
    public static List<RegionPairCount> Pairs(IEnumerable<RegionPairCount> pairs) =>
        pairs.OrderByDescending(p => p.Counts.Events).ThenBy(p => p.RequesterRegion).ThenBy(p => p.DataRegion).ToList();

    // By events, most first, then by name.
    public static List<CategoryCount> Categories(IEnumerable<CategoryCount> categories) =>
        categories.OrderByDescending(c => c.Counts.Events).ThenBy(c => c.Category, StringComparer.Ordinal).ToList();

    // By protected events, most first, then by region.
    public static List<ResidencyCount> Residency(IEnumerable<ResidencyCount> residency) =>
        residency.OrderByDescending(r => r.ProtectedEvents).ThenBy(r => r.StoredIn).ToList();

    // Ranks the requesters (given with BroadAccess false) by distinct protected resources, most first, then by id,
    // and marks broad access (IsBroadAccess). Sorts the list in place and returns it. The builder ranks and marks its
    // tallies the same way (RequesterRows).
    public static List<RequesterSummary> Requesters(List<RequesterSummary> requesters, long typesSeen)
    {
        requesters.Sort(static (a, b) => CompareRequesters(a.ProtectedResources, a.Id, b.ProtectedResources, b.Id));
        for (var rank = 0; rank < Math.Min(requesters.Count, AccessReportBuilder.BroadAccessTopRanks); rank++)
        {
            var requester = requesters[rank];
            if (IsBroadAccess(rank, requester.ResourceTypes, requester.ProtectedResources, typesSeen))
            {
                requesters[rank] = requester with { BroadAccess = true };
            }
        }

        return requesters;
    }

    // The requesters' order: by distinct protected resources, most first, then by id.
    public static int CompareRequesters(long protectedResourcesA, string idA, long protectedResourcesB, string idB) =>
        protectedResourcesA != protectedResourcesB ? protectedResourcesB.CompareTo(protectedResourcesA) : string.CompareOrdinal(idA, idB);

    // Broad access (see AccessReportBuilder's remarks): at least two protected resource types were seen in the period
    // (typesSeen), the requester reached at least three quarters of them and ranks (from 0) among the first
    // BroadAccessTopRanks.
    public static bool IsBroadAccess(int rank, int resourceTypes, long protectedResources, long typesSeen) =>
        rank < AccessReportBuilder.BroadAccessTopRanks && typesSeen >= 2 && resourceTypes * 4L >= typesSeen * 3 && protectedResources > 0;

    // The daily table: a bounded period lists every date, days without events as zeros; an open one, the days with
    // events. Days are numbered as LocalDayCalendar numbers them.
    public static List<DailyCount> Daily(ReportPeriod period, IReadOnlyDictionary<int, AccessCounts> days)
    {
        var result = new List<DailyCount>();
        if (period.From is { } from && period.To is { } to)
        {
            var last = LocalDayCalendar.DayNumberOf(to);
            for (var day = LocalDayCalendar.DayNumberOf(from); day <= last; day++)
            {
                result.Add(new DailyCount(LocalDayCalendar.DateOf(day), days.GetValueOrDefault(day)));
            }

            return result;
        }

        foreach (var day in days.Keys.Order())
        {
            result.Add(new DailyCount(LocalDayCalendar.DateOf(day), days[day]));
        }

        return result;
    }

    // An access is protected when the policy's taxonomy says its category requires approval to cross a border, or
    // does not know the category (the policy's evaluator fails closed the same way).
    public static bool IsProtected(AccessPolicy policy, string category) =>
        !policy.Taxonomy.TryGetRule(new DataCategory(category), out var rule) || rule == CrossBorderRule.RequiresApproval;
}
