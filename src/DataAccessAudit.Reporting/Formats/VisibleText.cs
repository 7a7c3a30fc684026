using System.Buffers;
using System.Globalization;
using System.Text;

namespace DataAccessAudit.Reporting.Formats;

/// <summary>
/// Makes untrusted text (ids, file names, field values) safe to show to a person: every character that could act on
/// a terminal or on how text is laid out, instead of being read, is replaced by a visible <c>\uXXXX</c> escape.
/// </summary>
/// <remarks>
/// <para>
/// Escaped: the C0 controls (U+0000 to U+001F, among them ESC, which starts terminal escape sequences, and CR and LF,
/// which split a line), DEL, the C1 controls (U+0080 to U+009F, among them the 8-bit CSI and OSC), the bidirectional
/// marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), the
/// line and paragraph separators (U+2028, U+2029), and the characters that show nothing and join nothing (the
/// zero-width space U+200B, the word joiner and invisible operators U+2060 to U+2064, the zero-width no-break space
/// U+FEFF). So an id cannot clear a screen, set a window title, split a line, make text read in another order than it
/// is stored (<c>exe.\u202Etxt</c>) or pass for another id (<c>e\u200Bmp-1</c> beside <c>emp-1</c>). The zero-width
/// joiner and non-joiner (U+200C, U+200D) are left as they are: scripts such as Persian and Devanagari, and emoji,
/// need them to be written correctly.
/// </para>
/// <para>
/// Every other character, and text that holds none of these, is returned unchanged. A backslash is not escaped, so
/// an id that already holds the six characters <c>\u202E</c> looks the same as one that held the override.
/// </para>
/// </remarks>
public static class VisibleText
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F" +
        "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F" +
        "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u2028\u2029" +
        "\u200B\u2060\u2061\u2062\u2063\u2064\uFEFF");

    /// <summary>Tells whether a character is one that <see cref="Escape"/> replaces.</summary>
    /// <param name="c">The character.</param>
    /// <returns>True for a control, bidirectional-formatting, line-separating or invisible character.</returns>
    public static bool IsUnsafe(char c) => Unsafe.Contains(c);

    /// <summary>Replaces every unsafe character with a visible <c>\uXXXX</c> escape (upper-case hex).</summary>
    /// <param name="text">The text.</param>
    /// <returns><paramref name="text"/> itself when it holds no unsafe character; otherwise the escaped copy.</returns>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (Unsafe.Contains(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
