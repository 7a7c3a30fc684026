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
}
