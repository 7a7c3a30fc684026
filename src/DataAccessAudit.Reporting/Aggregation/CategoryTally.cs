namespace DataAccessAudit.Reporting.Aggregation;

// The counts of one category, and whether the policy treats it as protected (decided once per category).
internal struct CategoryTally
{
    public bool Known;
    public bool Protected;
    public OutcomeCounts Counts;
}
