namespace DataAccessAudit.Log;

/// <summary>What verifying a log established: exactly what was checked, so that nobody reads more into it.</summary>
public enum LogVerdict
{
    /// <summary>
    /// Every segment is keyed and its chain was checked with its key, from the log's start to its last line
    /// (<c>verified</c>): nobody without the key changed, removed, added or reordered a record.
    /// </summary>
    Verified,

    /// <summary>
    /// The chain is intact but unkeyed (<c>verified-unkeyed</c>): it detects accidents, not an editor, since anyone who
    /// can edit the files can recompute a plain SHA-256 chain.
    /// </summary>
    VerifiedUnkeyed,

    /// <summary>
    /// The chain was not checked (<c>unverified</c>): the key of some segments was not given, so only what needs no
    /// key (sequence numbers, segment order, headers) was checked and held; or there is no segment at all.
    /// </summary>
    Unverified,

    /// <summary>A break was found (<c>broken</c>): see <see cref="LogVerificationResult.Break"/>.</summary>
    Broken,
}
