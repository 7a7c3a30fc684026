using System.Globalization;
using System.Text;

namespace DataAccessAudit.Interchange;

// A value the library was given, as an error message quotes it. Messages end up in terminals and log files, so a
// character that would act there instead of being read is shown as a \uXXXX escape (as the reporting package's
// VisibleText shows it): the C0 and C1 controls (NUL, ESC, which starts terminal escape sequences, CR and LF, which
// split a log line), DEL, the line and paragraph separators, and the format characters (bidirectional overrides,
// zero-width characters). Only the first 40 characters are shown, then "…", as proofs quote a member they refuse, so
// that a value read from a large input does not become a message as large.
internal static class ShownValue
{
    private const int Shown = 40;

    public static string Of(string value)
    {
        var length = Math.Min(value.Length, Shown);
        if (length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            length--; // not half a character before the "…"
        }

        var builder = new StringBuilder(length + 16);
        foreach (var c in value.AsSpan(0, length))
        {
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return length < value.Length ? builder.Append('…').ToString() : builder.ToString();
    }
}
