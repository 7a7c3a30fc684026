using System.Globalization;

namespace DataAccessAudit.Reporting.Formats;

/// <summary>
/// How the human formats (the HTML page, Markdown and the <c>access-report</c> console) write numbers for people: counts
/// with grouped thousands, percentages, sizes, compact chart labels and a count with its noun in the right number. All
/// of it culture-invariant, so a report reads the same wherever it was made. CSV and JSON are for machines and write
/// exact numbers instead.
/// </summary>
/// <remarks>
/// A percentage never reads as a figure it is not: a share above nothing never reads 0 %, a share short of the whole
/// never reads 100 %, and a share past the whole never reads 100 %. Between 1 % and 99 % a share is rounded to a
/// whole percent; nearer the ends one decimal is kept, rounded away from the end, down to <c>&lt;0.1%</c> and up to
/// <c>&gt;99.9%</c>.
/// </remarks>
public static class ReportFigures
{
    /// <summary>What the <c>subjects</c> figure is, for the reader of every human format: never "people".</summary>
    internal const string SubjectRecordsDefinition =
        "Subject records: the sum of each event's subjects (1 when absent), the person-records touched. "
        + "It is an upper bound of the distinct people: a person whose data is read twice counts twice.";

    private static readonly NumberFormatInfo Format = CultureInfo.InvariantCulture.NumberFormat;

    /// <summary>
    /// Which policies decided a report's events, in words: <c>my-app/1 (12 events, recorded); project-texas/1 evaluated
    /// none</c>, the recorded decisions by policy, then how many events the report's own policy evaluated. The names
    /// are the input's, unescaped: escape the text for where it goes.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <returns>The words, or null when the report does not say (<see cref="AccessReport.DecidedBy"/> is null).</returns>
    public static string? DecidedBy(AccessReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return DecisionsText.Describe(report, static name => name);
    }

    /// <summary>A count with grouped thousands: <c>1,204,311</c>.</summary>
    /// <param name="value">The count.</param>
    /// <returns>The count as people read it.</returns>
    public static string Count(long value) => value.ToString("#,0", Format);

    /// <summary>A count with grouped thousands: <c>1,204,311</c>.</summary>
    /// <param name="value">The count, such as a sum of subject records.</param>
    /// <returns>The count as people read it.</returns>
    public static string Count(Int128 value) => value.ToString("#,0", Format);

    /// <summary>A count with its noun in the right number: <c>1 event</c>, <c>0 events</c>, <c>1,204 accesses</c>.</summary>
    /// <param name="count">The count.</param>
    /// <param name="one">The noun for exactly one, such as <c>access</c>.</param>
    /// <param name="many">The noun for any other count, such as <c>accesses</c>.</param>
    /// <returns>The count, a space and the noun.</returns>
    public static string Count(long count, string one, string many) => $"{Count(count)} {Noun(count, one, many)}";

    /// <summary>The noun for a count, without the count: <paramref name="one"/> for exactly 1, else <paramref name="many"/>.</summary>
    /// <param name="count">The count.</param>
    /// <param name="one">The noun for exactly one.</param>
    /// <param name="many">The noun for any other count.</param>
    /// <returns>One of the two nouns.</returns>
    public static string Noun(long count, string one, string many)
    {
        ArgumentNullException.ThrowIfNull(one);
        ArgumentNullException.ThrowIfNull(many);
        return count == 1 ? one : many;
    }

    /// <summary>The share of a whole as a percentage, such as <c>42%</c>, <c>0.3%</c> or <c>&lt;0.1%</c>; <c>0%</c> of nothing.</summary>
    /// <param name="part">The part, such as the flagged events.</param>
    /// <param name="whole">The whole, such as all events.</param>
    /// <returns>The percentage as people read it.</returns>
    public static string Percent(long part, long whole) =>
        whole == 0 || part == 0 ? "0%" : part == whole ? "100%" : Percent(part / (double)whole);

    /// <summary>A fraction as a percentage: <c>0.42</c> is <c>42%</c>, <c>2.5</c> is <c>250%</c>.</summary>
    /// <param name="fraction">The fraction; 1 is the whole.</param>
    /// <returns>The percentage as people read it.</returns>
    public static string Percent(double fraction)
    {
        if (!double.IsFinite(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A share is a finite number.");
        }

        var percent = fraction * 100;
        return percent switch
        {
            0 => "0%",
            100 => "100%",
            > 0 and < 0.1 => "<0.1%",
            > 99.9 and < 100 => ">99.9%",
            // Near an end, one decimal, rounded away from that end so that it never reads as the end itself.
            > 0 and < 1 or > 99 and < 100 => (Math.Floor(percent * 10) / 10).ToString("0.0", Format) + "%",
            > 100 and < 101 => (Math.Ceiling(percent * 10) / 10).ToString("0.0", Format) + "%",
            _ => Math.Round(percent, MidpointRounding.AwayFromZero).ToString("#,0", Format) + "%",
        };
    }

    /// <summary>A size in bytes for people: <c>512 bytes</c>, <c>1 byte</c>, <c>8.4 kB</c>, <c>875 MB</c> (decimal units, 1 kB = 1,000 bytes).</summary>
    /// <param name="bytes">The size.</param>
    /// <returns>The size with its unit: one decimal under 100 of a unit, none from 100.</returns>
    public static string Size(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes < 1000)
        {
            return Count(bytes, "byte", "bytes");
        }

        string[] units = ["kB", "MB", "GB", "TB", "PB", "EB"];
        var value = bytes / 1000.0;
        var unit = 0;

        // Move up a unit before the rounded figure would read 1,000 of the smaller one.
        while (value >= 999.5 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return value.ToString(value < 99.95 ? "0.0" : "0", Format) + " " + units[unit];
    }

    /// <summary>A count in at most a few characters, for chart labels: <c>950</c>, <c>1.5k</c>, <c>12k</c>, <c>2.5M</c>, <c>3B</c>.</summary>
    /// <param name="value">The count.</param>
    /// <returns>The count in thousands (k), millions (M) or billions (B), with one decimal only below 10 of them.</returns>
    public static string Compact(long value)
    {
        if (value is > -1000 and < 1000)
        {
            return value.ToString(Format);
        }

        var magnitude = Math.Abs((double)value);
        var (scaled, suffix) = magnitude switch
        {
            < 999_500 => (value / 1e3, "k"),
            < 999_500_000 => (value / 1e6, "M"),
            _ => (value / 1e9, "B"),
        };
        return scaled.ToString(Math.Abs(scaled) < 9.95 ? "0.#" : "#,0", Format) + suffix;
    }
}
