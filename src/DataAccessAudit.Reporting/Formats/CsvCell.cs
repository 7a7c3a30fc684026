using System.Buffers;
using System.Text;

namespace DataAccessAudit.Reporting.Formats;

// One RFC 4180 field, made safe to open in a spreadsheet.
internal static class CsvCell
{
    // A spreadsheet treats a cell starting with one of these as a formula (or, for tab and line breaks, may shift it
    // into one): a requester id of "=HYPERLINK(...)" must stay text. Spreadsheets also read the full-width forms as
    // formula starts, and skip leading spaces and line breaks before one. A leading single quote is what
    // spreadsheets themselves use to say "this is text", and it is visible, so a reader sees that the value was
    // neutralised.
    private const string FormulaStartChars = "=+-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20";

    // Skipped before a formula start: a cell of "  =1+1" or "\n=1+1" is still a formula.
    private const string LeadingSpaceChars = " \t\r\n\u00A0\u3000";

    // Quoted: the RFC 4180 specials, and ';', the separator Excel uses in many locales.
    private const string NeedsQuotesChars = "\",;\r\n";

    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create(FormulaStartChars);
    private static readonly SearchValues<char> LeadingSpace = SearchValues.Create(LeadingSpaceChars);
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(NeedsQuotesChars);

    // The same sets for a value of ASCII bytes, which can hold only their ASCII members.
    private static readonly SearchValues<byte> AsciiFormulaStarts = AsciiOf(FormulaStartChars);
    private static readonly SearchValues<byte> AsciiLeadingSpace = AsciiOf(LeadingSpaceChars);
    private static readonly SearchValues<byte> AsciiNeedsQuotes = AsciiOf(NeedsQuotesChars);

    public static void Write(TextWriter writer, string value) => writer.Write(Escape(value));

    // The field as written: the value itself when it needs neither the quote prefix nor quotes.
    public static string Escape(string value)
    {
        if (IsFormulaLike(value))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(NeedsQuotes) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    // The most bytes WriteAscii writes for a value of length bytes.
    public static int MaxAsciiLength(int length) => (2 * length) + 3;

    // Writes a value of ASCII bytes to destination as Escape writes it (as bytes of the same characters), for writers
    // that copy cells straight from a file; returns the bytes written, at most MaxAsciiLength.
    public static int WriteAscii(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        var at = 0;
        var quoted = value.IndexOfAny(AsciiNeedsQuotes) >= 0;
        if (quoted)
        {
            destination[at++] = (byte)'"';
        }

        var first = value.IndexOfAnyExcept(AsciiLeadingSpace);
        if (value.Length > 0 && (AsciiFormulaStarts.Contains(value[0]) || (first > 0 && AsciiFormulaStarts.Contains(value[first]))))
        {
            destination[at++] = (byte)'\'';
        }

        if (!quoted)
        {
            value.CopyTo(destination[at..]);
            return at + value.Length;
        }

        for (int quote; (quote = value.IndexOf((byte)'"')) >= 0; value = value[(quote + 1)..])
        {
            value[..(quote + 1)].CopyTo(destination[at..]);
            at += quote + 1;
            destination[at++] = (byte)'"';
        }

        value.CopyTo(destination[at..]);
        at += value.Length;
        destination[at++] = (byte)'"';
        return at;
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

    private static SearchValues<byte> AsciiOf(string chars) => SearchValues.Create(Encoding.ASCII.GetBytes([.. chars.Where(char.IsAscii)]));
}
