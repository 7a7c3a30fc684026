using System.Globalization;

namespace DataAccessAudit.Log;

/// <summary>What verifying a log found: exactly what was checked, the first break if any, and what the verified part holds.</summary>
public sealed class LogVerificationResult
{
    /// <summary>What a chain without a key can and cannot show, in the words every report and tool uses.</summary>
    public const string UnkeyedCaveat = "chain intact, but unkeyed: it detects accidents, not an editor";

    internal LogVerificationResult(LogBreak? logBreak, LogVerdict verdict, IReadOnlyList<string> uncheckedKeyIds, int segments, long records, long events, long firstSequence, long lastSequence, string lastChain, long droppedEvents, long removedUpToSequence, long inProgressBytes)
    {
        Break = logBreak;
        Verdict = verdict;
        UncheckedKeyIds = uncheckedKeyIds;
        Segments = segments;
        Records = records;
        Events = events;
        FirstSequence = firstSequence;
        LastSequence = lastSequence;
        LastChain = lastChain;
        DroppedEvents = droppedEvents;
        RemovedUpToSequence = removedUpToSequence;
        InProgressBytes = inProgressBytes;
    }

    /// <summary>Gets what was established: <see cref="LogVerdict.Verified"/> only when a keyed chain was checked with its keys.</summary>
    public LogVerdict Verdict { get; }

    /// <summary>
    /// Gets the stable lower-case name of <see cref="Verdict"/>: <c>verified</c>, <c>verified-unkeyed</c>,
    /// <c>unverified</c> or <c>broken</c> (the words of <c>verify_log.py</c> and of the report's integrity status).
    /// </summary>
    public string VerdictName => Verdict switch
    {
        LogVerdict.Verified => "verified",
        LogVerdict.VerifiedUnkeyed => "verified-unkeyed",
        LogVerdict.Unverified => "unverified",
        _ => "broken",
    };

    /// <summary>
    /// Gets a value indicating whether the chain was checked from its anchor to its last line without a break:
    /// <see cref="LogVerdict.Verified"/> or <see cref="LogVerdict.VerifiedUnkeyed"/>.
    /// </summary>
    public bool IsIntact => Verdict is LogVerdict.Verified or LogVerdict.VerifiedUnkeyed;

    /// <summary>Gets the first break, or null when none was found.</summary>
    public LogBreak? Break { get; }

    /// <summary>
    /// Gets the ids of the keys the verifier was not given: the chain of their segments was not checked (their
    /// sequence numbers, order and headers were). Empty when every chain was checked.
    /// </summary>
    public IReadOnlyList<string> UncheckedKeyIds { get; }

    /// <summary>Gets how many segment files were read.</summary>
    public int Segments { get; }

    /// <summary>Gets how many records (events, gap, removal and recovery records) were read in sequence before the break, if any.</summary>
    public long Records { get; }

    /// <summary>Gets how many of those records are access events.</summary>
    public long Events { get; }

    /// <summary>Gets the sequence number of the first record present (after retention removed older ones); 0 when there is none.</summary>
    public long FirstSequence { get; }

    /// <summary>Gets the sequence number of the last record read in sequence.</summary>
    public long LastSequence { get; }

    /// <summary>
    /// Gets the chain value (64 hex digits) after the last line read. Keep it elsewhere (a ticket, a signed e-mail) to
    /// detect later that lines were cut off the end of the log, which a chain alone cannot show.
    /// </summary>
    public string LastChain { get; }

    /// <summary>Gets how many accesses the recorder dropped, according to the gap records read.</summary>
    public long DroppedEvents { get; }

    /// <summary>
    /// Gets the sequence number up to which retention removed records, as a removal record in the log states it (0 when
    /// nothing was removed). Segments missing without such a record are a <see cref="LogBreakKind.Deleted"/> break.
    /// </summary>
    public long RemovedUpToSequence { get; }

    /// <summary>
    /// Gets how many bytes of a last line the writer was still appending while the log was read: a line after the last
    /// complete one, seen while a writer held the directory's lock, is in progress rather than cut off. 0 when none.
    /// </summary>
    public long InProgressBytes { get; }

    /// <summary>
    /// Returns one line for a person, starting with the verdict's name: <c>verified: …records…, sequence first..last,
    /// chain …</c>; <c>verified-unkeyed: …; chain intact, but unkeyed…</c>; <c>unverified: …; the chain of … was not
    /// checked…</c>; or <c>broken: segment:line: kind at sequence N: message</c>.
    /// </summary>
    /// <returns>The outcome in one line.</returns>
    public override string ToString()
    {
        if (Break is { } found)
        {
            return $"broken: {found}";
        }

        var figures = string.Create(
            CultureInfo.InvariantCulture,
            $"{Records} records ({Events} events{(DroppedEvents > 0 ? $", {DroppedEvents} dropped by the recorder" : string.Empty)}) in {Segments} segments, sequence {FirstSequence}..{LastSequence}{(RemovedUpToSequence > 0 ? $" (1..{RemovedUpToSequence} removed by retention)" : string.Empty)}, last chain {LastChain}{(InProgressBytes > 0 ? $"; in progress: a writer is appending a line ({InProgressBytes} bytes so far)" : string.Empty)}");
        return Verdict switch
        {
            LogVerdict.Verified => $"verified: {figures}",
            LogVerdict.VerifiedUnkeyed => $"verified-unkeyed: {figures}; {UnkeyedCaveat}",
            _ when Segments == 0 => "unverified: no log segments: there is no chain to check",
            _ => $"unverified: {figures}; sequence numbers, segment order and headers hold, but the chain itself was not checked: no key was given for {string.Join(", ", UncheckedKeyIds.Select(id => $"\"{id}\""))}",
        };
    }
}
