using System.Buffers;
using System.Text;

namespace DataAccessAudit.Reporting.Formats;

// Escapes a value for a Markdown table cell: characters that would start emphasis, code, links, raw HTML or end
// the cell are backslash-escaped, and control, line-breaking and bidi-override characters are first shown as visible
// \uXXXX escapes (VisibleText), so a hostile id stays one literal cell that reads as it is stored.
internal static class MarkdownText
{
    private static readonly SearchValues<char> Special = SearchValues.Create("\\`*_[]<>|~#!()&");

    public static string Escape(string value)
    {
        value = VisibleText.Escape(value);
        if (value.AsSpan().IndexOfAny(Special) < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (Special.Contains(c))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    // A value as an inline code span that reads back as the value (CommonMark 6.1): backslashes do not escape inside a
    // span, so a backtick in the value is held by fencing it with a longer run of backticks than any in it, and padded
    // with a space (which CommonMark strips) when it starts or ends with a backtick or with a space on both sides, so
    // that neither the fence nor the value's own spaces are changed. Control and bidi characters show as escapes
    // first, so a value cannot break the line or reorder it.
    public static string CodeSpan(string value)
    {
        value = VisibleText.Escape(value);
        int longest = 0, run = 0;
        foreach (var c in value)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = value.Length > 0
            && (value[0] == '`' || value[^1] == '`' || (value[0] == ' ' && value[^1] == ' ' && value.AsSpan().ContainsAnyExcept(' ')));
        return pad ? $"{fence} {value} {fence}" : $"{fence}{value}{fence}";
    }
}
