namespace DataAccessAudit.Reporting;

/// <summary>Whether the events behind a report are known to be complete and unaltered.</summary>
public enum IntegrityStatus
{
    /// <summary>The source carries no chain to check, such as a plain <c>access-event/1</c> file (<c>unverified</c>).</summary>
    Unverified = 0,

    /// <summary>The source's chain was checked and is intact (<c>verified</c>).</summary>
    Verified = 1,

    /// <summary>The source's chain was checked and is not intact: events may be missing or altered (<c>broken</c>).</summary>
    Broken = 2,
}
