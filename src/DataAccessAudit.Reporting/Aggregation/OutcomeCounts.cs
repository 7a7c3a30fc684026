using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// Builds the AccessCounts of one row of a table: a mutable struct updated in place in dictionaries, one event at a
// time, where an immutable value would be copied back on every event.
internal struct OutcomeCounts
{
    public long Events;
    public long CrossBorder;
    public long Flagged;
    public long Denied;
    public long Approved;

    public void Add(AccessOutcome outcome, bool crossBorder)
    {
        Events++;
        if (crossBorder)
        {
            CrossBorder++;
        }

        switch (outcome)
        {
            case AccessOutcome.Flagged: Flagged++; break;
            case AccessOutcome.Denied: Denied++; break;
            case AccessOutcome.Approved: Approved++; break;
            default: break;
        }
    }

    public readonly AccessCounts ToCounts() => new(Events, CrossBorder, Flagged, Denied, Approved);

    public void Add(in OutcomeCounts other)
    {
        Events += other.Events;
        CrossBorder += other.CrossBorder;
        Flagged += other.Flagged;
        Denied += other.Denied;
        Approved += other.Approved;
    }
}
