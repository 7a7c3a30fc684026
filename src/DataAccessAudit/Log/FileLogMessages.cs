using Microsoft.Extensions.Logging;

namespace DataAccessAudit.Log;

// The file log's log messages, with stable event ids (4100-4149; checkpoints of the log take 4150-4199, every
// area's block is listed in docs/telemetry.md).
internal static partial class FileLogMessages
{
    [LoggerMessage(4101, LogLevel.Warning, "The audit log segment {Segment} ended in a torn line of {TornBytes} bytes (a crash while writing); the bytes were moved to {MovedTo} and appending continues after the last complete record.", EventName = "TornLineMovedAside")]
    public static partial void TornLineMovedAside(ILogger logger, string segment, long tornBytes, string movedTo);

    [LoggerMessage(4102, LogLevel.Warning, "The audit log segment {Segment} held no complete line (a crash while starting it); it was moved to {MovedTo}.", EventName = "TornSegmentMovedAside")]
    public static partial void TornSegmentMovedAside(ILogger logger, string segment, string movedTo);

    [LoggerMessage(4103, LogLevel.Information, "Started audit log segment {Segment} at sequence {FirstSequence}.", EventName = "SegmentStarted")]
    public static partial void SegmentStarted(ILogger logger, string segment, long firstSequence);

    [LoggerMessage(4104, LogLevel.Information, "Removed {Count} audit log segments older than the retention period, up to sequence {UpToSequence}; the removal is recorded in the log.", EventName = "SegmentsRemoved")]
    public static partial void SegmentsRemoved(ILogger logger, int count, long upToSequence);

    [LoggerMessage(4105, LogLevel.Warning, "The recording queue dropped {Dropped} accesses (queue full); a gap record at sequence {Sequence} states the loss.", EventName = "GapRecorded")]
    public static partial void GapRecorded(ILogger logger, long dropped, long sequence);

    [LoggerMessage(4106, LogLevel.Error, "{Count} accesses were too large for a log line (more than 16 MiB, such as hundreds of thousands of subject keys) and were recorded as gaps of one dropped access each, up to sequence {Sequence}. Record such an access as several, or give its subject count without keys.", EventName = "AccessTooLarge")]
    public static partial void AccessTooLarge(ILogger logger, int count, long sequence);

    [LoggerMessage(4107, LogLevel.Information, "Recorded the removal of {Count} audit log segments older than the retention period, up to sequence {UpToSequence}, at sequence {RemovalSequence}; they are deleted once a signed checkpoint covers that record.", EventName = "RemovalAwaitingCheckpoint")]
    public static partial void RemovalAwaitingCheckpoint(ILogger logger, int count, long upToSequence, long removalSequence);

    [LoggerMessage(4108, LogLevel.Warning, "Retention has kept {Count} expired audit log segments for {Waited} waiting for a signed checkpoint to cover their removal record at sequence {RemovalSequence}; the last checkpoint covers {Checkpointed} records. Check that checkpoints are still signed (AddFileLogCheckpoints, or 'access-report checkpoint').", EventName = "RemovalStillAwaitingCheckpoint")]
    public static partial void RemovalStillAwaitingCheckpoint(ILogger logger, int count, long removalSequence, long checkpointed, TimeSpan waited);

    [LoggerMessage(4109, LogLevel.Error, "The audit log segment {Segment} was {Disturbance} by something other than the log while the log was appending to it (a cleanup script, or log rotation pointed at the log directory); recording goes on in a new segment from sequence {FirstSequence}, and a verifier reports what the old one lost. Keep other tools out of the log directory: the log rotates and removes its own segments (FileLogOptions.MaxSegmentSize, RotationInterval and Retention).", EventName = "SegmentDisturbed")]
    public static partial void SegmentDisturbed(ILogger logger, string segment, string disturbance, long firstSequence);

    [LoggerMessage(4110, LogLevel.Warning, "The audit log's key file {KeyFile} can be read or written by others than its owner (mode {Mode}): whoever reads it can rewrite the log so that it still verifies. Make it the owner's alone (chmod 600).", EventName = "KeyFileExposed")]
    public static partial void KeyFileExposed(ILogger logger, string keyFile, string mode);
}
