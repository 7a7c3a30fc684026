using System.Buffers;

namespace DataAccessAudit.Reporting.Formats;

// One RFC 4180 field, made safe to open in a spreadsheet.
internal static class CsvCell
{
    // A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR, may shift it into one):
    // a requester id of "=HYPERLINK(...)" must stay text. A leading single quote is what spreadsheets themselves use
    // to say "this is text", and it is visible, so a reader sees that the value was neutralised.
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create("\",\r\n");

    public static void Write(TextWriter writer, string value)
    {
        if (value.Length > 0 && FormulaStarts.Contains(value[0]))
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
