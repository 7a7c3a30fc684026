namespace DataAccessAudit.Reporting.Sources;

// Where a scanned event's time lies against its approval's window. The scanner truncates times to ticks, so the
// window is decided here only where ticks decide it exactly; an event in the same tick as a bound is left to the full
// parser, which compares to the nanosecond (ScannedApproval.WindowOf).
internal enum ApprovalWindow
{
    // The event carries no approval.
    None,

    // Inside the window (Approval.IsValidAt: both bounds are inside).
    Inside,

    // After the window's end, whether or not it also lies before its start (as NeedingActionText.ApprovalState words it).
    Expired,

    // Before the window's start.
    NotYetValid,

    // In the same tick as a bound: only the full parser can tell.
    SameTickAsABound,
}
