using Microsoft.Extensions.Logging;

namespace DataAccessAudit.Recording;

// The recording pipeline's log messages, with stable event ids (4000-4099; every area's block is listed in
// docs/telemetry.md).
internal static partial class RecordingMessages
{
    [LoggerMessage(4001, LogLevel.Error, "Writing recorded accesses failed; recording calls fail until the write succeeds, and the writer retries every flush interval.", EventName = "WriteFailed")]
    public static partial void WriteFailed(ILogger logger, Exception exception);

    // A store that cannot be reached is not a fault of the recording calls: they go on queuing (and, with a spill
    // file, keeping) accesses, which is why this is not WriteFailed's "recording calls fail".
    [LoggerMessage(4004, LogLevel.Error, "Writing recorded accesses failed: the store cannot be reached; recorded accesses stay queued (recording calls go on) and the writer retries every flush interval.", EventName = "StoreUnavailable")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);

    // A store that refuses this app (its credentials, its database, its privileges) is a configuration error that
    // waiting does not fix, so it is not logged as an outage; recording calls still go on queueing, because an
    // operator can fix it while the app runs.
    [LoggerMessage(4005, LogLevel.Error, "Writing recorded accesses failed: the store refused this app (its credentials, its database or its privileges), which waiting alone does not fix; recorded accesses stay queued (recording calls go on) and the writer retries every flush interval until the store's configuration is corrected.", EventName = "StoreRefused")]
    public static partial void StoreRefused(ILogger logger, Exception exception);

    [LoggerMessage(4002, LogLevel.Information, "Writing recorded accesses succeeded again; recording resumed.", EventName = "WritingResumed")]
    public static partial void WritingResumed(ILogger logger);

    [LoggerMessage(4003, LogLevel.Critical, "The auditor shut down with {Lost} recorded accesses not written.", EventName = "LostOnShutdown")]
    public static partial void LostOnShutdown(ILogger logger, long lost, Exception? exception);
}
