namespace DataAccessAudit.Reporting.Aggregation;

// One access needing action as the collector buffers it: its sort key and where its bytes lie in the collector's
// arena (the event id's UTF-8 bytes, IdLength of them, then its access-event/1 line, LineLength bytes), and the
// decision the report evaluated for a line without the one it used (see NeedingActionDecision). A plain struct with no
// reference, so a buffer of them is one array the collector reuses.
internal struct NeedingActionEntry
{
    public long UnixTicks;
    public int Offset;
    public int IdLength;
    public int LineLength;
    public ActionSeverity Severity;
    public int Decision;
}
