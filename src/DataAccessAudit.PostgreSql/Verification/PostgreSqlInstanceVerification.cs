using DataAccessAudit.Log;

namespace DataAccessAudit.PostgreSql.Verification;

/// <summary>What verifying one writing instance's chain found.</summary>
public sealed class PostgreSqlInstanceVerification
{
    internal PostgreSqlInstanceVerification(string instanceId, string? keyId, long records, long events, long lastSequence, string lastChain, long droppedEvents, LogBreak? @break, LogVerdict verdict)
    {
        Verdict = verdict;
        InstanceId = instanceId;
        KeyId = keyId;
        Records = records;
        Events = events;
        LastSequence = lastSequence;
        LastChain = lastChain;
        DroppedEvents = droppedEvents;
        Break = @break;
    }

    /// <summary>Gets the instance's id.</summary>
    public string InstanceId { get; }

    /// <summary>Gets the id of the key that chains the instance, or null for an unkeyed (plain SHA-256) chain.</summary>
    public string? KeyId { get; }

    /// <summary>Gets how many records (events, gap records) were verified before the first break, or in all.</summary>
    public long Records { get; }

    /// <summary>Gets how many of those records are access events.</summary>
    public long Events { get; }

    /// <summary>Gets the sequence number of the last verified record (0 when none).</summary>
    public long LastSequence { get; }

    /// <summary>Gets the chain value of the last verified record, 64 lower-case hex digits: keep it elsewhere to detect later cuts.</summary>
    public string LastChain { get; }

    /// <summary>Gets how many accesses the instance's gap records say its recorder dropped.</summary>
    public long DroppedEvents { get; }

    /// <summary>
    /// Gets the first place where the instance's chain does not hold, or null when it is intact. The break's
    /// <see cref="LogBreak.Segment"/> names the instance (<c>postgresql:&lt;instance&gt;</c>) and its
    /// <see cref="LogBreak.Line"/> is the sequence number of the row where it breaks.
    /// </summary>
    public LogBreak? Break { get; }

    /// <summary>Gets a value indicating whether nothing broken was found (the links were checked unless <see cref="Verdict"/> is unverified).</summary>
    public bool IsIntact => Break is null;

    /// <summary>
    /// Gets the verdict, as the file log's: verified (keyed chain checked with its key), verified-unkeyed (chain
    /// intact but unkeyed: it detects accidents, not an editor), unverified (the key was not given: sequence numbers,
    /// columns and head still checked, links not), broken.
    /// </summary>
    public LogVerdict Verdict { get; }

    /// <summary>
    /// Returns the instance, its verdict (<c>verified</c>, <c>verified-unkeyed</c>, <c>unverified</c>, or the break) and
    /// its extent: when nothing is broken, its head (last sequence number and chain value) to keep.
    /// </summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => Break is { } found
        ? $"{InstanceId}: {found.KindName} at sequence {found.Sequence}: {found.Message}"
        : $"{InstanceId}: {VerdictWord}, {Records} records ({Events} events) up to sequence {LastSequence}, chain {LastChain}";

    // Never "intact" alone: an instance whose key was not given had its links unchecked.
    private string VerdictWord => Verdict switch
    {
        LogVerdict.Verified => "verified",
        LogVerdict.VerifiedUnkeyed => "verified-unkeyed",
        _ => "unverified (links not checked without its key)",
    };
}
