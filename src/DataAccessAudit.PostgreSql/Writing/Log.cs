using Microsoft.Extensions.Logging;

namespace DataAccessAudit.PostgreSql.Writing;

// The PostgreSQL sink's log messages, with stable event ids (4300-4399).
internal static partial class Log
{
    [LoggerMessage(4301, LogLevel.Warning, "The audit store in PostgreSQL cannot be reached; instance {InstanceId} spills recorded accesses to {SpillPath} until it can.", EventName = "SpillStarted")]
    public static partial void SpillStarted(ILogger logger, string instanceId, string spillPath, Exception exception);

    [LoggerMessage(4302, LogLevel.Information, "The audit store in PostgreSQL is back; instance {InstanceId} replayed {Lines} spilled records from {SpillPath}.", EventName = "SpillReplayed")]
    public static partial void SpillReplayed(ILogger logger, string instanceId, long lines, string spillPath);
}
