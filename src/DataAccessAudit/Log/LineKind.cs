namespace DataAccessAudit.Log;

// What a line of the log holds, as far as its readers care: an access event, a gap or recovery record (which a
// report shows as integrity problems), or anything else (headers, removal records, lines that are not log lines).
internal enum LineKind
{
    Other,
    Event,
    Gap,
    Recovery,
}
