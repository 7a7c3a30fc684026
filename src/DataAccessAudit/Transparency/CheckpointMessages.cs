using Microsoft.Extensions.Logging;

namespace DataAccessAudit.Transparency;

// The checkpoint writer's log messages, with stable event ids (4150-4199, within the file log's block; every area's
// block is listed in docs/telemetry.md).
internal static partial class CheckpointMessages
{
    [LoggerMessage(4150, LogLevel.Information, "Signed a checkpoint of the audit log {Directory}: {Checkpoint}", EventName = "CheckpointSigned")]
    public static partial void CheckpointSigned(ILogger logger, string directory, string checkpoint);

    [LoggerMessage(4151, LogLevel.Error, "Could not sign a checkpoint of the audit log {Directory}; the records stay protected by the chain, and the next checkpoint that succeeds will cover them.", EventName = "CheckpointFailed")]
    public static partial void CheckpointFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(4152, LogLevel.Warning, "The checkpoint sink {Sink} failed to publish a checkpoint.", EventName = "CheckpointSinkFailed")]
    public static partial void SinkFailed(ILogger logger, string sink, Exception exception);

    [LoggerMessage(4153, LogLevel.Information, "The checkpoint key file {KeyFile} changed: checkpoints are now signed with {Key}.", EventName = "CheckpointKeyRotated")]
    public static partial void KeyRotated(ILogger logger, string keyFile, string key);

    [LoggerMessage(4154, LogLevel.Warning, "The checkpoint key file {KeyFile} can be read or written by others than its owner (mode {Mode}): whoever reads it can sign checkpoints of a rewritten log. Make it the owner's alone (chmod 600).", EventName = "CheckpointKeyFileExposed")]
    public static partial void KeyFileExposed(ILogger logger, string keyFile, string mode);
}
