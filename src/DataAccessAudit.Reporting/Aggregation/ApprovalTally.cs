using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// Counts approvals used (by approver and by requester) and the accesses whose approval was outside its window,
// keeping only the newest of those in memory. One per partial builder, merged at the end.
internal sealed class ApprovalTally
{
    private readonly int _listed;
    private readonly Dictionary<string, Usage> _byApprover = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Usage> _byRequester = new(StringComparer.Ordinal);

    // The newest accesses outside their approval's window: a min-heap on the order, so the oldest is dropped first.
    private readonly PriorityQueue<AccessRecord, AccessRecord> _outside = new(NewestFirst.Instance.Reversed);
    private long _expired;
    private long _notYetValid;

    public ApprovalTally(int listed) => _listed = listed;

    // An approved access: its approval was used.
    public void CountUse(string approver, string requester, string approvalId)
    {
        Use(_byApprover, approver, approvalId, 1);
        Use(_byRequester, requester, approvalId, 1);
    }

    // An access whose approval did not cover its time.
    public void CountOutsideWindow(AccessRecord record, bool expired)
    {
        if (expired)
        {
            _expired++;
        }
        else
        {
            _notYetValid++;
        }

        List(record);
    }

    public void Merge(ApprovalTally other)
    {
        _expired += other._expired;
        _notYetValid += other._notYetValid;
        MergeUsage(_byApprover, other._byApprover);
        MergeUsage(_byRequester, other._byRequester);
        foreach (var (record, _) in other._outside.UnorderedItems)
        {
            List(record);
        }
    }

    public ReportApprovals Build() => new(
        Rows(_byApprover),
        Rows(_byRequester),
        _expired,
        _notYetValid,
        [.. _outside.UnorderedItems.Select(item => item.Element).Order(NewestFirst.Instance)]);

    private static List<ApprovalUsage> Rows(Dictionary<string, Usage> usage) =>
        [.. usage.Select(u => new ApprovalUsage(u.Key, u.Value.Ids.Count, u.Value.Accesses))
            .OrderByDescending(u => u.Accesses).ThenBy(u => u.Name, StringComparer.Ordinal)];

    private static void Use(Dictionary<string, Usage> usage, string name, string approvalId, long accesses)
    {
        if (!usage.TryGetValue(name, out var entry))
        {
            usage[name] = entry = new Usage();
        }

        entry.Accesses += accesses;
        entry.Ids.Add(approvalId);
    }

    private static void MergeUsage(Dictionary<string, Usage> mine, Dictionary<string, Usage> theirs)
    {
        foreach (var (name, usage) in theirs)
        {
            if (!mine.TryGetValue(name, out var entry))
            {
                mine[name] = usage;
                continue;
            }

            entry.Accesses += usage.Accesses;
            entry.Ids.UnionWith(usage.Ids);
        }
    }

    private void List(AccessRecord record)
    {
        if (_listed == 0)
        {
            return;
        }

        if (_outside.Count < _listed)
        {
            _outside.Enqueue(record, record);
        }
        else if (NewestFirst.Instance.Compare(record, _outside.Peek()) < 0)
        {
            _outside.DequeueEnqueue(record, record);
        }
    }

    private sealed class Usage
    {
        public long Accesses;
        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);
    }

    // Newest first, then by event id: the order of the list.
    private sealed class NewestFirst : IComparer<AccessRecord>
    {
        public static NewestFirst Instance { get; } = new();

        public IComparer<AccessRecord> Reversed { get; } = Comparer<AccessRecord>.Create((x, y) => Instance.Compare(y, x));

        public int Compare(AccessRecord x, AccessRecord y)
        {
            var byTime = y.Event.Time.CompareTo(x.Event.Time);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Event.Id, y.Event.Id);
        }
    }
}
