using System.Buffers;

namespace DataAccessAudit.Reporting.Formats;

// One RFC 4180 field, made safe to open in a spreadsheet.
internal static class CsvCell
{
    // A spreadsheet treats a cell starting with one of these as a formula (or, for tab and line breaks, may shift it
    // into one): a requester id of "=HYPERLINK(...)" must stay text. Spreadsheets also read the full-width forms as
    // formula starts, and skip leading spaces and line breaks before one. A leading single quote is what
    // spreadsheets themselves use to say "this is text", and it is visible, so a reader sees that the value was
    // neutralised.
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20");

    // Skipped before a formula start: a cell of "  =1+1" or "\n=1+1" is still a formula.
    private static readonly SearchValues<char> LeadingSpace = SearchValues.Create(" \t\r\n\u00A0\u3000");

    // Quoted: the RFC 4180 specials, and ';', the separator Excel uses in many locales.
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create("\",;\r\n");

    public static void Write(TextWriter writer, string value)
    {
        if (IsFormulaLike(value))
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

    private static bool IsFormulaLike(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        if (FormulaStarts.Contains(value[0]))
        {
            return true;
        }

        var first = value.AsSpan().IndexOfAnyExcept(LeadingSpace);
        return first > 0 && FormulaStarts.Contains(value[first]);
    }
}
