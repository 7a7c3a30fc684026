using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Interchange;

// What AccessEventScanner reads of one access-event/1 line: the fields a report counts, and the recorded decision when
// the line has one.
// Strings are ranges of the scanned line (plain UTF-8, never escaped), valid as long as the line is.
internal struct ScannedAccessEvent
{
    public Range Id;

    // The time as written, and in Unix ticks (digits finer than a tick truncated).
    public Range Time;
    public long UnixTicks;
    public Range RequesterId;
    public Region RequesterRegion;
    public Range? Organization;
    public Range ResourceId;
    public Range? Type;
    public Range Category;
    public Region DataRegion;
    public Region? StoredIn;
    public long Subjects;

    // The subjectKeys array, brackets included (plain, non-empty strings), and how many keys it holds.
    public Range? SubjectKeys;
    public int SubjectKeyCount;
    // Whether the line records a decision; without one, Outcome, CrossBorder and BuiltInFindings are not read.
    public bool HasDecision;
    public AccessOutcome Outcome;
    public bool CrossBorder;

    // The recorded decision's policy (name/version) when it names one: a report says which policies decided its events.
    public Range? DecisionPolicy;

    // The findings, all built in: bit i is Finding's built-in index i.
    public int BuiltInFindings;

    // The approval, when the line carries one: its id and approver, and its window's bounds in Unix ticks (a bound
    // with digits finer than a tick is truncated, as the event's time is).
    public Range? ApprovalId;
    public Range? ApprovedBy;
    public long? ApprovalValidFromTicks;
    public long? ApprovalValidUntilTicks;

    // The nanoseconds of the time past UnixTicks (0 to 99): what its ticks do not hold.
    public byte SubTick;

    // Whether a bound has digits finer than a tick (nanoseconds past it), which its ticks do not hold.
    public bool ApprovalBoundFinerThanTicks;
}
