using Microsoft.Extensions.Logging;

namespace DataAccessAudit.BulkData;

// The bulk-data monitor's log messages, with stable event ids (4200-4299; every area's block is listed in
// docs/telemetry.md).
internal static partial class BulkDataMessages
{
    // Date is the last UTC date of the 12 months whose figure passed the level, as yyyy-MM-dd: a line read long after
    // the fact says which window crossed, and the field sorts and compares as text in any log store.
    [LoggerMessage(4201, LogLevel.Warning, "Bulk data: {Counterparty} reached {DistinctPersons} distinct {Unit} of {Kind} over the 12 months ending {Date}, past {Percent}% of the threshold ({Threshold}).", EventName = "BulkThresholdAlert")]
    public static partial void BulkThresholdAlert(ILogger logger, string counterparty, long distinctPersons, string unit, string kind, string date, double percent, long threshold);

    [LoggerMessage(4202, LogLevel.Error, "Bulk data: the monitor's state could not be read from {Path}; it starts empty, and figures cover only accesses recorded from now on.", EventName = "BulkStateUnreadable")]
    public static partial void StateUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(4203, LogLevel.Error, "Bulk data: the monitor's state could not be saved to {Path}; it is kept in memory and saved again at the next flush.", EventName = "BulkStateNotSaved")]
    public static partial void StateNotSaved(ILogger logger, string path, Exception exception);

    [LoggerMessage(4204, LogLevel.Error, "Bulk data: the alert callback failed for {Counterparty} and {Kind}; the alert was logged and counted, and the monitor goes on.", EventName = "BulkAlertCallbackFailed")]
    public static partial void AlertCallbackFailed(ILogger logger, string counterparty, string kind, Exception exception);

    [LoggerMessage(4205, LogLevel.Warning, "Bulk data: the kind {Kind} is not in the monitor's state read from {Path}, saved under a policy without it; its figures count only accesses recorded from now on (a report over the log counts the earlier ones).", EventName = "BulkKindNotInState")]
    public static partial void KindNotInState(ILogger logger, string kind, string path);
}
