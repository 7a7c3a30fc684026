namespace DataAccessAudit.Reporting.Aggregation;

// One local day of one kind and counterparty: who was reached, and by whom (subject records per requester).
internal sealed class BulkDay
{
    public readonly BulkSubjects Subjects = new();
    public readonly Dictionary<string, Int128> Requesters = new(StringComparer.Ordinal);

    public void Merge(BulkDay other)
    {
        Subjects.UnionWith(other.Subjects);
        foreach (var (id, records) in other.Requesters)
        {
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Requesters, id, out _) += records;
        }
    }
}
