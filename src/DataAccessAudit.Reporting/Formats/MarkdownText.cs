using System.Buffers;
using System.Text;

namespace DataAccessAudit.Reporting.Formats;

// Escapes a value for a Markdown table cell: characters that would start emphasis, code, links, raw HTML or end
// the cell are backslash-escaped, and line breaks become spaces, so a hostile id stays one literal cell.
internal static class MarkdownText
{
    private static readonly SearchValues<char> Special = SearchValues.Create("\\`*_[]<>|~#!()&\r\n");

    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny(Special) < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\r':
                case '\n':
                    builder.Append(' ');
                    break;
                default:
                    if (Special.Contains(c))
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
