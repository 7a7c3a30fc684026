using System.Buffers;
using System.Globalization;
using System.Text;

namespace DataAccessAudit.Interchange;

// Untrusted text (an id, a code, a file name) as a person is shown it: every character that could act on a terminal
// or on how text is laid out, instead of being read, becomes a visible \uXXXX escape. The one owner of that rule: the
// reporting package's public VisibleText (whose remarks list the characters and why) and the library's own error
// messages both use it.
internal static class ShownValue
{
    private const int Shown = 40;

    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F" +
        "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F" +
        "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u2028\u2029" +
        "\u200B\u2060\u2061\u2062\u2063\u2064\uFEFF");

    public static bool IsUnsafe(char c) => Unsafe.Contains(c);

    // text itself when it holds no unsafe character; otherwise the escaped copy.
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny(Unsafe);
        return first < 0 ? text : Escape(text.AsSpan(), first, new StringBuilder(text.Length + 16)).ToString();
    }

    // A value quoted in an error message: escaped, and only its first 40 characters then "…" (as proofs quote a member
    // they refuse), so that a value read from a large input does not become a message as large. Null shows as nothing,
    // as interpolating it would.
    public static string Of(string? value)
    {
        value ??= string.Empty;
        var length = Math.Min(value.Length, Shown);
        if (length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            length--; // not half a character before the "…"
        }

        var builder = Escape(value.AsSpan(0, length), 0, new StringBuilder(length + 16));
        return length < value.Length ? builder.Append('…').ToString() : builder.ToString();
    }

    private static StringBuilder Escape(ReadOnlySpan<char> text, int first, StringBuilder builder)
    {
        builder.Append(text[..first]);
        foreach (var c in text[first..])
        {
            if (Unsafe.Contains(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder;
    }
}
