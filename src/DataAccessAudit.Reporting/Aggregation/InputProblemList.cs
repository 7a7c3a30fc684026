using DataAccessAudit.Interchange;

namespace DataAccessAudit.Reporting.Aggregation;

// The input problems a report lists: all are counted, the first ones (by source in the order given, then line) are
// kept. Memory stays bounded: when the list doubles past the limit, only the first problems in order are kept.
internal sealed class InputProblemList(int limit, InputSourceOrder sources)
{
    private readonly List<(int Source, InputProblem Problem)> _problems = [];

    // How many problems were reported, kept or not.
    public long Count { get; private set; }

    public void Add(InputProblem problem)
    {
        Count++;
        _problems.Add((sources.RankOf(problem.Source), problem));
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
        return _problems.Select(static p => p.Problem).ToList().AsReadOnly();
    }

    private void Trim()
    {
        if (_problems.Count <= limit && IsSorted())
        {
            return;
        }

        _problems.Sort(static (a, b) => Compare(a, b));
        if (_problems.Count > limit)
        {
            _problems.RemoveRange(limit, _problems.Count - limit);
        }
    }

    private bool IsSorted()
    {
        for (var i = 1; i < _problems.Count; i++)
        {
            if (Compare(_problems[i - 1], _problems[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int Compare((int Source, InputProblem Problem) a, (int Source, InputProblem Problem) b)
    {
        var bySource = a.Source.CompareTo(b.Source);
        return bySource != 0 ? bySource : a.Problem.Line.CompareTo(b.Problem.Line);
    }
}
