using DataAccessAudit.Interchange;

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
    /// <summary>Tells whether a character is one that <see cref="Escape"/> replaces.</summary>
    /// <param name="c">The character.</param>
    /// <returns>True for a control, bidirectional-formatting, line-separating or invisible character.</returns>
    public static bool IsUnsafe(char c) => ShownValue.IsUnsafe(c);

    /// <summary>Replaces every unsafe character with a visible <c>\uXXXX</c> escape (upper-case hex).</summary>
    /// <param name="text">The text.</param>
    /// <returns><paramref name="text"/> itself when it holds no unsafe character; otherwise the escaped copy.</returns>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ShownValue.Escape(text);
    }
}
