namespace DataAccessAudit.Reporting.Aggregation;

// Which policies decided the events counted: the recorded decisions by the policy they name, and the events the
// report's policy evaluated. The fast scanner hands over the same string instance for a policy line after line, so
// NameTable finds it by reference.
internal sealed class DecisionTally
{
    private readonly NameTable<long> _named = new();
    private long _unnamed;
    private long _evaluated;

    // Counts one access decided by its recorded decision, which names policy (null: names none).
    public void CountRecorded(string? policy)
    {
        if (policy is null)
        {
            _unnamed++;
        }
        else
        {
            _named.GetOrAdd(policy)++;
        }
    }

    // Counts one access the report's policy evaluated.
    public void CountEvaluated() => _evaluated++;

    // Adds the counts of another tally (from another worker).
    public void Merge(DecisionTally other)
    {
        for (var i = 0; i < other._named.Count; i++)
        {
            _named.GetOrAdd(other._named.NameAt(i)) += other._named.ValueAt(i);
        }

        _unnamed += other._unnamed;
        _evaluated += other._evaluated;
    }

    public ReportDecisions Build()
    {
        var recorded = Enumerable.Range(0, _named.Count).Select(i => new RecordedPolicyCount(_named.NameAt(i), _named.ValueAt(i)));
        if (_unnamed > 0)
        {
            recorded = recorded.Append(new RecordedPolicyCount(null, _unnamed));
        }

        return new ReportDecisions(ReportRows.RecordedPolicies(recorded), _evaluated);
    }
}
