namespace DataAccessAudit.Reporting;

/// <summary>
/// The heads of a store of several chains (the PostgreSQL store: one chain per writing instance) when a report was
/// read from it, so that the report names exactly the state it was computed from, as <see cref="ReportLogState"/> does
/// for a log. Written as <c>source.postgres</c>.
/// </summary>
internal sealed class ReportStoreHeads
{
    public ReportStoreHeads(string schema, IReadOnlyList<(string InstanceId, long LastSequence, string LastChain)> instances)
    {
        ArgumentException.ThrowIfNullOrEmpty(schema);
        ArgumentNullException.ThrowIfNull(instances);
        Schema = schema;
        Instances = instances;
    }

    /// <summary>Gets the schema holding the store (the connection string is never written: it may hold a password).</summary>
    public string Schema { get; }

    /// <summary>Gets each instance's last verified sequence number and chain value, ordered by instance id.</summary>
    public IReadOnlyList<(string InstanceId, long LastSequence, string LastChain)> Instances { get; }
}
