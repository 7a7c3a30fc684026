using Microsoft.Extensions.Logging;

namespace DataAccessAudit.Diagnostics;

/// <summary>
/// The telemetry's log messages (flagged and denied accesses, how ids are pseudonymised), with stable event ids
/// (4300-4399; every area's block is listed in docs/telemetry.md): alert rules may match on them. Requester and
/// resource appear only as pseudonyms (null when no pseudonymising redactor is configured).
/// </summary>
internal static partial class TelemetryMessages
{
    [LoggerMessage(
        EventId = 4301,
        EventName = "AccessFlagged",
        Level = LogLevel.Warning,
        Message = "Access {AccessEventId} flagged by {Policy}: {Action} of {DataCategory} data of {DataRegion} by requester {Requester} in {RequesterRegion} (cross-border: {CrossBorder}; findings: {Findings}; resource {Resource})")]
    public static partial void AccessFlagged(
        ILogger logger,
        string accessEventId,
        string? policy,
        string action,
        string dataCategory,
        string dataRegion,
        string? requester,
        string requesterRegion,
        bool crossBorder,
        string findings,
        string? resource);

    [LoggerMessage(
        EventId = 4302,
        EventName = "AccessDenied",
        Level = LogLevel.Warning,
        Message = "Access {AccessEventId} denied by {Policy}: {Action} of {DataCategory} data of {DataRegion} by requester {Requester} in {RequesterRegion} (cross-border: {CrossBorder}; findings: {Findings}; resource {Resource})")]
    public static partial void AccessDenied(
        ILogger logger,
        string accessEventId,
        string? policy,
        string action,
        string dataCategory,
        string dataRegion,
        string? requester,
        string requesterRegion,
        bool crossBorder,
        string findings,
        string? resource);

    [LoggerMessage(
        EventId = 4303,
        EventName = "IdentifiersOmitted",
        Level = LogLevel.Information,
        Message = "No pseudonymising redactor is registered for {Classification}: requester and resource ids are left out of the audit's telemetry")]
    public static partial void IdentifiersOmitted(ILogger logger, string classification);

    [LoggerMessage(
        EventId = 4304,
        EventName = "RedactorKeepsIdentifiers",
        Level = LogLevel.Warning,
        Message = "The redactor {Redactor} registered for {Classification} returns identifiers in clear text: they are left out of the audit's telemetry; register the HMAC redactor for this classification")]
    public static partial void RedactorKeepsIdentifiers(ILogger logger, string classification, string redactor);
}
