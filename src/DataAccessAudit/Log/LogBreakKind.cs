namespace DataAccessAudit.Log;

/// <summary>What kind of break verification found in a log.</summary>
public enum LogBreakKind
{
    /// <summary>A line's content (or its chain value) differs from what was written.</summary>
    Modified,

    /// <summary>Records are missing: the sequence jumps, or a segment is gone without a removal record.</summary>
    Deleted,

    /// <summary>A line that was never written in this place is present (an extra or repeated line).</summary>
    Inserted,

    /// <summary>Lines (or segment files) are out of order.</summary>
    Reordered,

    /// <summary>The log ends in a partial line, or a segment is empty.</summary>
    Truncated,

    /// <summary>
    /// The chain was recomputed by someone without the key: the links match plain SHA-256 but not the HMAC of the
    /// key the segment names, or a segment is unkeyed although the verifier holds keys.
    /// </summary>
    ForgedWithoutKey,

    /// <summary>
    /// A segment is chained with a key whose id the verifier was not given. Verification no longer reports it as a
    /// break: the log is <see cref="LogVerdict.Unverified"/> and <see cref="LogVerificationResult.UncheckedKeyIds"/> names
    /// the key.
    /// </summary>
    MissingKey,

    /// <summary>
    /// The verifier holds a key with the id a segment names, but neither the header nor the record after it links with
    /// it: the key is not the one the log was written with, or the header was forged.
    /// </summary>
    WrongKey,
}
