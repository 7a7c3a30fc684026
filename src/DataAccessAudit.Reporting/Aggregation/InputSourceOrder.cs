using System.Collections.Concurrent;

namespace DataAccessAudit.Reporting.Aggregation;

// The order of a report's input sources, shared by the partial builders of one report, so that input problems are
// listed in the order the sources were given (then by line) rather than by their names. A source is ranked when first
// seen: the parallel readers note each source on their one reading thread before handing its lines to the workers, so
// the ranks follow the order read; a builder fed on one thread (AddProblem from a reader, events placed by Add) sees
// its sources in the order it reads them.
internal sealed class InputSourceOrder
{
    private readonly ConcurrentDictionary<string, int> _ranks = new(StringComparer.Ordinal);
    private int _next;

    // The rank of a source: the first source seen is 0, the next new one 1, and so on.
    public int RankOf(string source) =>
        _ranks.TryGetValue(source, out var rank) ? rank : _ranks.GetOrAdd(source, _ => Interlocked.Increment(ref _next) - 1);
}
