namespace DataAccessAudit.Recording;

/// <summary>
/// Hook for telemetry on the background writer: called on the writer's thread, so implementations must be cheap
/// and must not throw. The queue's depth and dropped count are read from <see cref="RecordingQueue"/>'s
/// <c>QueueDepth</c> and <c>DroppedCount</c> (for observable instruments).
/// </summary>
internal interface IRecordingTelemetry
{
    /// <summary>A batch was written to every sink (not yet necessarily durable).</summary>
    /// <param name="records">How many accesses the batch held.</param>
    /// <param name="duration">How long writing it to the sinks took.</param>
    void BatchWritten(int records, TimeSpan duration);

    /// <summary>The sinks were made durable (fsync).</summary>
    /// <param name="duration">How long the flush took.</param>
    void Flushed(TimeSpan duration);

    /// <summary>
    /// Accesses were dropped because the queue was full in <see cref="RecordingFullMode.Drop"/> mode; a gap record now
    /// says so in the log, or the auditor shut down before one could be written.
    /// </summary>
    /// <param name="count">How many accesses were dropped since the last gap record.</param>
    void Dropped(long count);

    /// <summary>Accesses were too large for a record of a sink, which wrote a gap record in the place of each.</summary>
    /// <param name="count">How many accesses of the batch just written were dropped so.</param>
    void TooLarge(long count);

    /// <summary>The auditor shut down with accesses it could not write; they are lost.</summary>
    /// <param name="count">How many recorded accesses were not written.</param>
    void LostOnShutdown(long count);

    /// <summary>Writing or flushing failed; the writer retries.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="duration">How long the failed attempt took.</param>
    void WriteFailed(Exception exception, TimeSpan duration);
}
