namespace DataAccessAudit.Reporting.Aggregation;

// One access needing action as the collector keeps it: its sort key and its access-event/1 line with the decision the
// report used. Data holds the event id's UTF-8 bytes (IdLength of them), then the line.
internal readonly record struct NeedingActionEntry(ActionSeverity Severity, long UnixTicks, int IdLength, byte[] Data)
{
    public ReadOnlySpan<byte> Id => Data.AsSpan(0, IdLength);

    public ReadOnlySpan<byte> Line => Data.AsSpan(IdLength);
}
