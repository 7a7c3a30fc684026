namespace DataAccessAudit.Reporting;

/// <summary>How a bulk-threshold figure of distinct persons was obtained.</summary>
public enum BulkCountBasis
{
    /// <summary>Counted exactly from <c>subjectKeys</c> (fewer distinct keys than the sketch's exact limit).</summary>
    Exact,

    /// <summary>Estimated from <c>subjectKeys</c> by the distinct-count sketch, within its stated relative error.</summary>
    Estimated,

    /// <summary>
    /// Some accesses carried no <c>subjectKeys</c>, or fewer keys than their <c>subjects</c>: the subjects no key stands for
    /// are added as if every one were a new person, so the figure is an upper bound of distinct persons.
    /// </summary>
    UpperBound,
}
