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
}
