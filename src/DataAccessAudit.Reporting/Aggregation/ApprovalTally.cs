using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using NodaTime;

namespace DataAccessAudit.Reporting.Aggregation;

// Counts approvals used (by approver and by requester) and the accesses whose approval was outside its window,
// keeping only the newest of those in memory. An access the fast reader counted is kept as a copy of its line with
// the decision the report used, and parsed only if it is still among the newest when the report is built: in a log
// written in time order every such access is the newest so far, and parsing each would cost more than counting it.
// One per partial builder, merged at the end.
internal sealed class ApprovalTally
{
    private readonly int _listed;
    private readonly string _policyId;
    private readonly Dictionary<string, Usage> _byApprover = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Usage> _byRequester = new(StringComparer.Ordinal);

    // The newest accesses outside their approval's window: a min-heap on the order, so the oldest is dropped first.
    private readonly PriorityQueue<OutsideAccess, OutsideAccess> _outside = new(NewestFirst.Instance.Reversed);
    private long _expired;
    private long _notYetValid;

    // policyId: the policy whose evaluated decisions CountOutsideWindow is given (NeedingActionDecision).
    public ApprovalTally(int listed, string policyId)
    {
        _listed = listed;
        _policyId = policyId;
    }

    // An approved access: its approval was used.
    public void CountUse(string approver, string requester, string approvalId)
    {
        Use(_byApprover, approver, approvalId, 1);
        Use(_byRequester, requester, approvalId, 1);
    }

    // An access whose approval did not cover its time.
    public void CountOutsideWindow(AccessRecord record, bool expired)
    {
        CountOutside(expired);
        if (IsListed(record.Event.Time, record.Event.Id))
        {
            List(new OutsideAccess(record.Event.Time, record.Event.Id, record, null, NeedingActionDecision.InLine));
        }
    }

    // The same for an access the fast reader counted: its time, id and line, with the decision the report used for it
    // (NeedingActionDecision). The line is copied only when the access is listed so far.
    public void CountOutsideWindow(Instant time, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision, bool expired)
    {
        CountOutside(expired);
        if (_listed > 0)
        {
            var idText = System.Text.Encoding.UTF8.GetString(id);
            if (IsListed(time, idText))
            {
                List(new OutsideAccess(time, idText, null, line.ToArray(), decision));
            }
        }
    }

    public void Merge(ApprovalTally other)
    {
        _expired += other._expired;
        _notYetValid += other._notYetValid;
        MergeUsage(_byApprover, other._byApprover);
        MergeUsage(_byRequester, other._byRequester);
        foreach (var (access, _) in other._outside.UnorderedItems)
        {
            if (IsListed(access.Time, access.Id))
            {
                List(access);
            }
        }
    }

    public ReportApprovals Build() => new(
        Rows(_byApprover),
        Rows(_byRequester),
        _expired,
        _notYetValid,
        [.. _outside.UnorderedItems.Select(item => item.Element).Order(NewestFirst.Instance).Select(RecordOf)]);

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

    private void CountOutside(bool expired)
    {
        if (expired)
        {
            _expired++;
        }
        else
        {
            _notYetValid++;
        }
    }

    // Whether an access of this time and id goes into the list as it stands: it is not full, or the access comes
    // before the last one listed.
    private bool IsListed(Instant time, string id) =>
        _listed > 0 && (_outside.Count < _listed || NewestFirst.Compare(time, id, _outside.Peek()) < 0);

    private void List(OutsideAccess access)
    {
        if (_outside.Count < _listed)
        {
            _outside.Enqueue(access, access);
        }
        else
        {
            _outside.DequeueEnqueue(access, access);
        }
    }

    private AccessRecord RecordOf(OutsideAccess access) =>
        access.Record ?? NeedingActionDecision.Apply(AccessEventJson.Parse(access.Line), access.Decision, _policyId);

    // A listed access: its record, or its line with the decision the report used.
    private sealed record OutsideAccess(Instant Time, string Id, AccessRecord? Record, byte[]? Line, int Decision);

    private sealed class Usage
    {
        public long Accesses;
        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);
    }

    // Newest first, then by event id: the order of the list.
    private sealed class NewestFirst : IComparer<OutsideAccess>
    {
        public static NewestFirst Instance { get; } = new();

        public IComparer<OutsideAccess> Reversed { get; } = Comparer<OutsideAccess>.Create((x, y) => Instance.Compare(y, x));

        public static int Compare(Instant time, string id, OutsideAccess other)
        {
            var byTime = other.Time.CompareTo(time);
            return byTime != 0 ? byTime : string.CompareOrdinal(id, other.Id);
        }

        public int Compare(OutsideAccess? x, OutsideAccess? y) => Compare(x!.Time, x.Id, y!);
    }
}
