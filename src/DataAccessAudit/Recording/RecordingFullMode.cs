namespace DataAccessAudit.Recording;

/// <summary>What recording does when the queue to the background writer is full.</summary>
public enum RecordingFullMode
{
    /// <summary>The recording call waits for room (the default: an audit trail must not drop).</summary>
    Block,

    /// <summary>
    /// The access is dropped and counted; the writer then writes a gap record (how many, since when) into
    /// sinks that support it, such as the file log, so every report over the log shows the loss.
    /// </summary>
    Drop,
}
