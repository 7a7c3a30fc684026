using System.Globalization;
using System.Text;
using DataAccessAudit.Reporting.Formats;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Lays an id out on at most <see cref="MostLines"/> lines of a terminal column: lines break only after a separator
/// (<see cref="IdBreaks"/>), so each piece is a word a reader recognises, and an id that does not fit (a word wider than
/// the column, or more lines than allowed) is cut with an ellipsis instead of being split mid-word.
/// </summary>
internal static class IdLines
{
    /// <summary>The most lines one id takes in a table row.</summary>
    public const int MostLines = 3;

    private const char Ellipsis = '…';

    /// <summary>The lines of <paramref name="id"/> (already made visible) in a column <paramref name="room"/> cells wide.</summary>
    public static IReadOnlyList<string> Break(string id, int room)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(room, 2);
        var lines = new List<string>();
        var line = new StringBuilder();
        var lineWidth = 0;
        foreach (var word in Words(id))
        {
            var width = word.GetCellWidth();
            if (lineWidth + width <= room)
            {
                line.Append(word);
                lineWidth += width;
                continue;
            }

            if (lines.Count == MostLines - 1)
            {
                // No line left: what fits of the rest, then the ellipsis.
                lines.Add(Cut(line.Append(word).ToString(), room));
                return lines;
            }

            if (lineWidth > 0)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            if (width > room)
            {
                // A word wider than the whole column (a hash, a long number) cannot be broken anywhere honest.
                lines.Add(Cut(word, room));
                return lines;
            }

            line.Append(word);
            lineWidth = width;
        }

        if (lineWidth > 0 || lines.Count == 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }

    // The id in words, each ending with its separator (the last one may end without).
    private static IEnumerable<string> Words(string id)
    {
        var start = 0;
        for (var i = 0; i < id.Length; i++)
        {
            if (IdBreaks.AllowedAfter(id[i]))
            {
                yield return id[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < id.Length)
        {
            yield return id[start..];
        }
    }

    // The longest start of the text that leaves a cell for the ellipsis, whole characters only (a surrogate pair or
    // a letter with its accents is never split), then the ellipsis.
    private static string Cut(string text, int room)
    {
        var kept = new StringBuilder();
        var width = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var w = element.GetCellWidth();
            if (width + w > room - 1)
            {
                break;
            }

            kept.Append(element);
            width += w;
        }

        return kept.Append(Ellipsis).ToString();
    }
}
