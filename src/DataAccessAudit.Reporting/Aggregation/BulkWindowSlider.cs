namespace DataAccessAudit.Reporting.Aggregation;

// The union of the days in a window that slides forward one date at a time, without re-merging the whole window at
// each date: sketches have no "remove", so the slider keeps two stacks (the sliding-window aggregation of the
// functional-programming folklore): new days are merged into one running union at the back; when the oldest day must
// go, and the front is empty, the back is turned over into the front as suffix unions (newest to oldest), each day
// merged once. The window's union is then the front's top (everything older) merged with the back. Each day costs an
// amortised constant number of merges, so finding the first date a threshold was crossed over a year of days is linear.
internal sealed class BulkWindowSlider
{
    private readonly List<(int Day, BulkSubjects Subjects)> _back = [];
    private readonly Stack<BulkSubjects> _front = new();
    private readonly Queue<(int Day, Int128 Bound)> _days = new();
    private BulkSubjects _backUnion = new();

    // The sum of the days' own counts: an upper bound of the union, kept without merging.
    public Int128 UpperBound { get; private set; }

    public void Push(int day, BulkSubjects subjects)
    {
        _back.Add((day, subjects));
        _backUnion.UnionWith(subjects);
        var bound = subjects.UpperBound;
        _days.Enqueue((day, bound));
        UpperBound += bound;
    }

    // Drops the days before firstDay.
    public void DropBefore(int firstDay)
    {
        while (_days.Count > 0 && _days.Peek().Day < firstDay)
        {
            UpperBound -= _days.Dequeue().Bound;
            if (_front.Count == 0)
            {
                TurnOver();
            }

            _front.Pop();
        }
    }

    public BulkSubjects Union()
    {
        var union = _front.Count > 0 ? _front.Peek().Clone() : new BulkSubjects();
        union.UnionWith(_backUnion);
        return union;
    }

    private void TurnOver()
    {
        BulkSubjects? suffix = null;
        for (var i = _back.Count - 1; i >= 0; i--)
        {
            var next = suffix?.Clone() ?? new BulkSubjects();
            next.UnionWith(_back[i].Subjects);
            _front.Push(next);
            suffix = next;
        }

        _back.Clear();
        _backUnion = new BulkSubjects();
    }
}
