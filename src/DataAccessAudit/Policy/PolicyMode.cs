namespace DataAccessAudit.Policy;

/// <summary>Whether a policy only reports or also refuses.</summary>
public enum PolicyMode
{
    /// <summary>Record and flag; never refuse. The safe way to introduce a policy.</summary>
    Audit = 0,

    /// <summary>Refuse protected-data accesses that have a finding; the app is expected to honour <see cref="AccessOutcome.Denied"/>.</summary>
    Enforce = 1,
}
