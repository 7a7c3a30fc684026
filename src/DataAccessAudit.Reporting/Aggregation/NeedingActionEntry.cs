namespace DataAccessAudit.Reporting.Aggregation;

// One access needing action as the collector buffers it: its sort key, where its bytes lie in the collector's arena
// (the event id's UTF-8 bytes, IdLength of them, then, for a line held in memory, its access-event/1 line), and the
// decision the report evaluated for a line without the one it used (see NeedingActionDecision). A line of an input
// file that can be read again is not copied: Source is then its file (an index into the collector's sources) and
// Position where it starts; Source is -1 for a line held in the arena. LineLength is the line's length either way.
// SubTick is the nanoseconds of the time past UnixTicks (0 to 99); it and the severity are kept as bytes, so the
// struct stays 40 bytes. A plain struct with no reference, so a buffer of them is one array the collector reuses.
internal struct NeedingActionEntry
{
    public long UnixTicks;
    public long Position;
    public int Offset;
    public int IdLength;
    public int LineLength;
    public int Source;
    public int Decision;
    public byte SubTick;
    private byte _severity;

    public ActionSeverity Severity
    {
        readonly get => (ActionSeverity)_severity;
        set => _severity = (byte)value;
    }
}
