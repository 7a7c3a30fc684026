using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// Events by outcome and border for one row of a table; a mutable struct updated in place in dictionaries.
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

    public void Add(in OutcomeCounts other)
    {
        Events += other.Events;
        CrossBorder += other.CrossBorder;
        Flagged += other.Flagged;
        Denied += other.Denied;
        Approved += other.Approved;
    }
}
