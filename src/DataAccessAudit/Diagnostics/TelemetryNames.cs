namespace DataAccessAudit.Diagnostics;

/// <summary>
/// Every instrument name, unit, attribute key and event name the audit emits: one place, so the docs, the tests and
/// the dashboards built on them agree. Names follow OpenTelemetry semantic-convention style under our own prefix.
/// </summary>
internal static class TelemetryNames
{
    public const string Prefix = "data_access_audit.";

    // Instruments.
    public const string Accesses = Prefix + "accesses";
    public const string Findings = Prefix + "findings";
    public const string QueueDepth = Prefix + "queue.depth";
    public const string Dropped = Prefix + "queue.dropped";
    public const string WriteDuration = Prefix + "write.duration";
    public const string WriteBatchSize = Prefix + "write.batch.size";

    // Units (UCUM; curly braces for counts of things).
    public const string AccessUnit = "{access}";
    public const string FindingUnit = "{finding}";
    public const string SecondsUnit = "s";

    // Attributes on metrics: low cardinality only, never an id.
    public const string Outcome = Prefix + "outcome";
    public const string DataCategory = Prefix + "data.category";
    public const string RequesterRegion = Prefix + "requester.region";
    public const string DataRegion = Prefix + "data.region";
    public const string CrossBorder = Prefix + "cross_border";
    public const string Finding = Prefix + "finding";
    public const string ErrorType = "error.type";

    // The event added to the current activity, and its attributes beyond the metric ones.
    public const string AccessEvent = Prefix + "access";
    public const string FindingNames = Prefix + "findings";
    public const string EventId = Prefix + "event.id";
    public const string Action = Prefix + "action";
    public const string Policy = Prefix + "policy";
    public const string RequesterPseudonym = Prefix + "requester.pseudonym";
    public const string ResourcePseudonym = Prefix + "resource.pseudonym";

    // The data.category value of a category the policy's taxonomy does not define.
    public const string OtherDataCategory = "_OTHER";

    // error.type values the recording pipeline reports with dropped accesses.
    public const string QueueFull = "queue_full";
    public const string TooLarge = "too_large";
    public const string ShutDown = "shut_down";
}
