using System.Collections;

namespace DataAccessAudit.Reporting.Aggregation;

// A built report's requesters: the builder's tallies, frozen and ranked, each made a RequesterSummary only when it is
// read. A log can hold millions of requesters; a list of summaries beside the tallies they came from held each one
// twice while the report was built and written (over 100 bytes a row). Ranked and marked as ReportRows.Requesters
// ranks and marks a list of summaries.
internal sealed class RequesterRows : IReadOnlyList<RequesterSummary>
{
    private readonly RequesterTally[] _tallies;
    private readonly long _typesSeen;

    // Freezes the tallies (counting on goes into copies, so the report stays as built) and ranks them.
    public RequesterRows(IEnumerable<RequesterTally> tallies, int count)
    {
        _tallies = new RequesterTally[count];
        var typesSeen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var tally in tallies)
        {
            tally.Freeze();
            tally.AddResourceTypesTo(typesSeen);
            _tallies[i++] = tally;
        }

        if (i != count)
        {
            throw new ArgumentException($"{i} tallies given, {count} expected.", nameof(count));
        }

        _typesSeen = typesSeen.Count;
        Array.Sort(_tallies, static (a, b) => ReportRows.CompareRequesters(a.ProtectedResourceCount, a.Id, b.ProtectedResourceCount, b.Id));
    }

    public int Count => _tallies.Length;

    public RequesterSummary this[int index]
    {
        get
        {
            var tally = _tallies[index];
            return new RequesterSummary(
                tally.Id,
                tally.MostFrequentRegion(),
                tally.Counts.ToCounts(),
                tally.ProtectedResourceCount,
                tally.ResourceTypeCount,
                tally.Subjects,
                ReportRows.IsBroadAccess(index, tally.ResourceTypeCount, tally.ProtectedResourceCount, _typesSeen));
        }
    }

    public IEnumerator<RequesterSummary> GetEnumerator()
    {
        for (var i = 0; i < _tallies.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
