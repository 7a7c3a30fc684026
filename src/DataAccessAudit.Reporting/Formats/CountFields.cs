namespace DataAccessAudit.Reporting.Formats;

// Which fields of AccessCounts a table shows. Every format lists them in one order (events, cross-border, flagged,
// denied, approved), the order of CountField.Order; a row that places some of them elsewhere (a region pair's
// cross-border is a yes or no; a requester's JSON object lists denied, approved and cross-border after its other
// members) names the fields it writes at each place.
[Flags]
internal enum CountFields
{
    None = 0,
    Events = 1,
    CrossBorder = 2,
    Flagged = 4,
    Denied = 8,
    Approved = 16,
    All = Events | CrossBorder | Flagged | Denied | Approved,
}
