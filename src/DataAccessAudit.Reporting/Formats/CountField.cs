namespace DataAccessAudit.Reporting.Formats;

// The names of the fields of AccessCounts, said once for every format: the access-report/1 member names (also the
// CSV headers) and the words the human formats show.
internal static class CountField
{
    // The one order in which formats list the fields.
    public static ReadOnlySpan<CountFields> Order =>
        [CountFields.Events, CountFields.CrossBorder, CountFields.Flagged, CountFields.Denied, CountFields.Approved];

    // The member name in report.json and the CSV header.
    public static string Name(CountFields field) => field switch
    {
        CountFields.Events => "events",
        CountFields.CrossBorder => "crossBorder",
        CountFields.Flagged => "flagged",
        CountFields.Denied => "denied",
        CountFields.Approved => "approved",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not one field of the counts."),
    };

    // The column heading in the human formats.
    public static string Label(CountFields field) => field switch
    {
        CountFields.Events => "events",
        CountFields.CrossBorder => "cross-border",
        CountFields.Flagged => "flagged",
        CountFields.Denied => "denied",
        CountFields.Approved => "approved",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not one field of the counts."),
    };

    public static long ValueOf(in AccessCounts counts, CountFields field) => field switch
    {
        CountFields.Events => counts.Events,
        CountFields.CrossBorder => counts.CrossBorder,
        CountFields.Flagged => counts.Flagged,
        CountFields.Denied => counts.Denied,
        CountFields.Approved => counts.Approved,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not one field of the counts."),
    };
}
