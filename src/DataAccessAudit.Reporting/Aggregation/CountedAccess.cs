using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting.Aggregation;

// Exactly what the report counts of one access, whether it came from an AccessRecord or from the fast line scanner
// (which never builds the domain objects). Strings here are shared instances from caches, not one per event.
internal struct CountedAccess
{
    public long UnixTicks;
    public string RequesterId;
    public Region RequesterRegion;
    public string Category;
    public Region DataRegion;
    public Region? StoredIn;
    public ulong ResourceHash;
    public string? Type;
    public long Subjects;
    public AccessOutcome Outcome;
    public bool CrossBorder;
    // The findings: built-in ones as bits of BuiltInFindings (what the fast scanner fills in), the rest, or all of
    // them, in Findings.
    public int BuiltInFindings;
    public FindingSet Findings;

    // Whether the decision is the recorded one (else the report's policy evaluated it), and the policy the recorded
    // one names (null when it names none).
    public bool Recorded;
    public string? RecordedPolicy;

    // The requester's tally when the caller already holds it (the fast scanner caches it per requester id).
    public RequesterTally? Tally;
}
