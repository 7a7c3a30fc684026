using DataAccessAudit.Interchange;

namespace DataAccessAudit.Reporting.Aggregation;

// The input problems a report lists: all are counted, the first ones (by source, then line) are kept. Memory stays
// bounded: when the list doubles past the limit, only the first problems in order are kept.
internal sealed class InputProblemList(int limit)
{
    private readonly List<InputProblem> _problems = [];

    // How many problems were reported, kept or not.
    public long Count { get; private set; }

    public void Add(InputProblem problem)
    {
        Count++;
        _problems.Add(problem);
        if (_problems.Count >= Math.Max(2 * limit, 64))
        {
            Trim();
        }
    }

    public void Merge(InputProblemList other)
    {
        Count += other.Count;
        _problems.AddRange(other._problems);
        Trim();
    }

    // The first problems, in order.
    public IReadOnlyList<InputProblem> ToList()
    {
        Trim();
        return _problems.ToList().AsReadOnly();
    }

    private void Trim()
    {
        if (_problems.Count <= limit && IsSorted())
        {
            return;
        }

        _problems.Sort(static (a, b) =>
        {
            var bySource = string.CompareOrdinal(a.Source, b.Source);
            return bySource != 0 ? bySource : a.Line.CompareTo(b.Line);
        });
        if (_problems.Count > limit)
        {
            _problems.RemoveRange(limit, _problems.Count - limit);
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
