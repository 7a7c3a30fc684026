using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// The order of the accesses needing action: most severe first, newest first within a severity, then by event id, so
// the page and needing-action.csv agree however the events were split across workers.
internal sealed class NeedingActionOrder : IComparer<AccessRecord>
{
    public static NeedingActionOrder Instance { get; } = new();

    public static ActionSeverity SeverityOf(AccessDecision decision) =>
        decision.Outcome == AccessOutcome.Denied ? ActionSeverity.Denied
        : decision.Findings.Contains(Finding.CountryOfConcernAccess) ? ActionSeverity.CountryOfConcern
        : decision.Findings.Contains(Finding.CrossBorderProtectedAccess) ? ActionSeverity.CrossBorderProtected
        : ActionSeverity.Flagged;

    public int Compare(AccessRecord x, AccessRecord y)
    {
        var bySeverity = SeverityOf(x.Decision!.Value).CompareTo(SeverityOf(y.Decision!.Value));
        if (bySeverity != 0)
        {
            return bySeverity;
        }

        var byTime = y.Event.Time.CompareTo(x.Event.Time);
        if (byTime != 0)
        {
            return byTime;
        }

        var byId = string.CompareOrdinal(x.Event.Id, y.Event.Id);
        if (byId != 0)
        {
            return byId;
        }

        var byRequester = string.CompareOrdinal(x.Event.Requester.Id, y.Event.Requester.Id);
        return byRequester != 0 ? byRequester : string.CompareOrdinal(x.Event.Resource.Id, y.Event.Resource.Id);
    }
}
