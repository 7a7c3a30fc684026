namespace DataAccessAudit.Recording;

/// <summary>When a recorded access is made durable.</summary>
public enum RecordingDurability
{
    /// <summary>
    /// The recording call returns once the access is queued; the writer writes batches as they come and makes them
    /// durable (fsync) every <see cref="RecordingOptions.FlushInterval"/>. A crash loses at most that window.
    /// </summary>
    Buffered,

    /// <summary>
    /// The recording call returns only after the access is durable (fsync). Concurrent callers share one fsync
    /// (group commit), so throughput grows with the number of callers.
    /// </summary>
    Synchronous,
}
