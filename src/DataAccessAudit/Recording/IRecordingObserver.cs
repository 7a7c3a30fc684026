namespace DataAccessAudit.Recording;

/// <summary>
/// Hook for telemetry on the background writer: called on the writer's thread, so implementations must be cheap
/// and must not throw. The queue's depth and dropped count are read from <see cref="RecordingQueue"/>'s
/// <c>QueueDepth</c> and <c>DroppedCount</c> (for observable instruments).
/// </summary>
internal interface IRecordingObserver
{
    /// <summary>A batch was written to every sink (not yet necessarily durable).</summary>
    /// <param name="records">How many accesses the batch held.</param>
    /// <param name="duration">How long writing it to the sinks took.</param>
    void BatchWritten(int records, TimeSpan duration);

    /// <summary>The sinks were made durable (fsync).</summary>
    /// <param name="duration">How long the flush took.</param>
    void Flushed(TimeSpan duration);

    /// <summary>Writing or flushing failed; the writer retries.</summary>
    /// <param name="exception">The failure.</param>
    void WriteFailed(Exception exception);
}
