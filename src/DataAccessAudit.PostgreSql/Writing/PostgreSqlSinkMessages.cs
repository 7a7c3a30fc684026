using Microsoft.Extensions.Logging;

namespace DataAccessAudit.PostgreSql.Writing;

// The PostgreSQL store's log messages, with stable event ids (4400-4449; every area's block is listed in
// docs/telemetry.md).
internal static partial class PostgreSqlSinkMessages
{
    [LoggerMessage(4401, LogLevel.Warning, "The audit store in PostgreSQL cannot be reached; instance {InstanceId} spills recorded accesses to {SpillPath} until it can.", EventName = "SpillStarted")]
    public static partial void SpillStarted(ILogger logger, string instanceId, string spillPath, Exception exception);

    [LoggerMessage(4402, LogLevel.Information, "The audit store in PostgreSQL is back; instance {InstanceId} replayed {Lines} spilled records from {SpillPath}.", EventName = "SpillReplayed")]
    public static partial void SpillReplayed(ILogger logger, string instanceId, long lines, string spillPath);

    [LoggerMessage(4403, LogLevel.Error, "{Count} accesses were too large for a record (more than 16 MiB, such as hundreds of thousands of subject keys) and were stored as gaps of one dropped access each by instance {InstanceId}. Record such an access as several, or give its subject count without keys.", EventName = "AccessTooLarge")]
    public static partial void AccessTooLarge(ILogger logger, int count, string instanceId);

    [LoggerMessage(4404, LogLevel.Warning, "The spill file {SpillPath} of instance {InstanceId} ended in a torn line of {TornBytes} bytes (a crash while spilling, or a cut file); the bytes were moved to {MovedTo} and kept, and the complete records before them are replayed.", EventName = "SpillTornLineMovedAside")]
    public static partial void SpillTornLineMovedAside(ILogger logger, string spillPath, string instanceId, long tornBytes, string movedTo);

    // Not SpillStarted's "cannot be reached": a refusal is a configuration error, and the operator who reads it must
    // not wait for an outage to end. Logged once when the refusal starts (and again if its reason changes), not on
    // every retry.
    [LoggerMessage(4405, LogLevel.Error, "Instance {InstanceId} cannot write to the audit store: {Refusal}. This is a configuration error, not an outage, and waiting will not fix it. Recorded accesses {Kept}, and are written once the store accepts them.", EventName = "StoreRefused")]
    public static partial void StoreRefused(ILogger logger, string instanceId, string refusal, string kept, Exception exception);

    [LoggerMessage(4406, LogLevel.Warning, "The spill {Kind} {Path} had mode {OldMode}, open to other users than its owner although it holds who accessed whose personal data; it was tightened to {NewMode}.", EventName = "SpillModeTightened")]
    public static partial void SpillModeTightened(ILogger logger, string kind, string path, string oldMode, string newMode);

    [LoggerMessage(4407, LogLevel.Warning, "The spill {Kind} {Path} has mode {OldMode}, open to other users than its owner although it holds who accessed whose personal data, and was left so: {Reason}. Set it to {NewMode} (chmod), as its owner.", EventName = "SpillModeNotTightened")]
    public static partial void SpillModeNotTightened(ILogger logger, string kind, string path, string oldMode, string reason, string newMode);
}
