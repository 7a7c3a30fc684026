using System.Collections.Concurrent;

namespace DataAccessAudit.Reporting.Aggregation;

// One set of distinct protected resources per requester id, shared by the partial builders of one report. Workers
// split the lines, not the requesters, so without sharing every worker would build its own set for nearly every
// requester and the merge would briefly hold them all twice; these sets are the one part of a report that grows
// with the data, so sharing them is what keeps the peak memory near the size of the result. An add locks the one set
// (uncontended nearly always: two workers rarely count the same requester at the same instant).
internal sealed class SharedResourceSets : IDisposable
{
    private readonly ConcurrentDictionary<string, HashSet64> _sets = new(StringComparer.Ordinal);

    public HashSet64 For(string requesterId) => _sets.GetOrAdd(requesterId, static _ => new HashSet64());

    public void Dispose()
    {
        foreach (var set in _sets.Values)
        {
            set.Dispose();
        }
    }
}
