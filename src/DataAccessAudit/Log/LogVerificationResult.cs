namespace DataAccessAudit.Log;

/// <summary>What verifying a log found: intact, or the first break; and what the verified part holds.</summary>
public sealed class LogVerificationResult
{
    internal LogVerificationResult(LogBreak? logBreak, int segments, long records, long events, long firstSequence, long lastSequence, string lastChain, long droppedEvents, long removedUpToSequence, long inProgressBytes)
    {
        Break = logBreak;
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

    /// <summary>Gets a value indicating whether every segment verified from its anchor to its last line.</summary>
    public bool IsIntact => Break is null;

    /// <summary>Gets the first break, or null when the log is intact.</summary>
    public LogBreak? Break { get; }

    /// <summary>Gets how many segment files were read.</summary>
    public int Segments { get; }

    /// <summary>Gets how many records (events, gap, removal and recovery records) verified before the break, if any.</summary>
    public long Records { get; }

    /// <summary>Gets how many of those records are access events.</summary>
    public long Events { get; }

    /// <summary>Gets the sequence number of the first record present (after retention removed older ones); 0 when there is none.</summary>
    public long FirstSequence { get; }

    /// <summary>Gets the sequence number of the last verified record.</summary>
    public long LastSequence { get; }

    /// <summary>
    /// Gets the chain value (64 hex digits) after the last verified line. Keep it elsewhere (a ticket, a
    /// signed e-mail) to detect later that lines were cut off the end of the log, which a chain alone cannot show.
    /// </summary>
    public string LastChain { get; }

    /// <summary>Gets how many accesses the recorder dropped, according to the gap records verified.</summary>
    public long DroppedEvents { get; }

    /// <summary>Gets the sequence number up to which retention removed records (0 when nothing was removed).</summary>
    public long RemovedUpToSequence { get; }

    /// <summary>
    /// Gets how many bytes of a last line the writer was still appending while the log was read: a line after the last
    /// complete one, seen while a writer held the directory's lock, is in progress rather than cut off. 0 when none.
    /// </summary>
    public long InProgressBytes { get; }

    /// <summary>
    /// Returns one line for a person: <c>intact: …records…, sequence first..last, chain …</c>, or
    /// <c>broken: segment:line: kind at sequence N: message</c>.
    /// </summary>
    /// <returns>The outcome in one line.</returns>
    public override string ToString() => Break is { } found
        ? $"broken: {found}"
        : string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"intact: {Records} records ({Events} events{(DroppedEvents > 0 ? $", {DroppedEvents} dropped by the recorder" : string.Empty)}) in {Segments} segments, sequence {FirstSequence}..{LastSequence}{(RemovedUpToSequence > 0 ? $" (1..{RemovedUpToSequence} removed by retention)" : string.Empty)}, last chain {LastChain}{(InProgressBytes > 0 ? $"; in progress: a writer is appending a line ({InProgressBytes} bytes so far)" : string.Empty)}");
}
