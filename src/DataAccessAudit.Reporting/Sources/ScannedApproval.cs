using DataAccessAudit.Interchange;

namespace DataAccessAudit.Reporting.Sources;

// The approval of a scanned event, for the readers that count and list events from their bytes.
internal static class ScannedApproval
{
    public static ApprovalWindow WindowOf(in ScannedAccessEvent scanned)
    {
        if (scanned.ApprovalId is null)
        {
            return ApprovalWindow.None;
        }

        var time = scanned.UnixTicks;
        if (time == scanned.ApprovalValidFromTicks || time == scanned.ApprovalValidUntilTicks)
        {
            return ApprovalWindow.SameTickAsABound;
        }

        return time > scanned.ApprovalValidUntilTicks ? ApprovalWindow.Expired
            : time < scanned.ApprovalValidFromTicks ? ApprovalWindow.NotYetValid
            : ApprovalWindow.Inside;
    }
}
