using System.Globalization;
using System.Text.Json;

namespace DataAccessAudit.Interchange;

// How every reader of our JSON formats (event lines, policy files, proofs) words what System.Text.Json rejected:
// the reader's own description, without what is addressed to programmers (its location suffix " Path: $ |
// LineNumber: 0 | BytePositionInLine: 197." and advice such as "Change the reader options."), and the place as
// people count it, from 1.
internal static class JsonSyntax
{
    private static readonly string[] Suffixes = [" Path:", " LineNumber:", " Change the reader options."];

    // "line 3, byte 17" (the byte within the line: the reader counts bytes, not characters); null when not known.
    public static string? PositionOf(JsonException exception) =>
        exception.LineNumber is { } line ? Position(line, exception.BytePositionInLine ?? 0) : null;

    // The same for a line and a byte in it counted from 0, as the reader counts them.
    public static string Position(long line, long byteInLine) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, byte {byteInLine + 1}");

    // The same within a single line, such as an event line: "byte 17".
    public static string? BytePositionOf(JsonException exception) =>
        exception.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"byte {position + 1}")
            : null;

    public static string DescriptionOf(JsonException exception)
    {
        var message = exception.Message;
        foreach (var suffix in Suffixes)
        {
            var at = message.IndexOf(suffix, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message.TrimEnd();
    }
}
