namespace DataAccessAudit.Reporting;

/// <summary>Whether the events behind a report are known to be complete and unaltered.</summary>
public enum IntegrityStatus
{
    /// <summary>
    /// The source's chain was not checked (<c>unverified</c>): it carries none, such as a plain <c>access-event/1</c>
    /// file, or the key of a keyed log was not given.
    /// </summary>
    Unverified = 0,

    /// <summary>The source's keyed chain was checked with its key and is intact (<c>verified</c>).</summary>
    Verified = 1,

    /// <summary>The source's chain was checked and is not intact: events may be missing or altered (<c>broken</c>).</summary>
    Broken = 2,

    /// <summary>
    /// The source's chain was checked and is intact, but it is unkeyed (<c>verified-unkeyed</c>): it detects accidents,
    /// not an editor, since anyone who can edit the files can recompute it.
    /// </summary>
    VerifiedUnkeyed = 3,
}
