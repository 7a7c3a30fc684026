namespace DataAccessAudit.Repository.Tests;

// The README's fenced code blocks, as a reader copies them. A block's info string names what it is for: the language,
// then a file name ("csharp Program.cs") or a moment of the quickstart ("sh after-run").
internal static class Readme
{
    public static IReadOnlyList<(string Info, string Text)> Blocks(string path)
    {
        var blocks = new List<(string, string)>();
        string? info = null;
        var text = new System.Text.StringBuilder();
        foreach (var line in File.ReadLines(path))
        {
            if (info is null && line.StartsWith("```", StringComparison.Ordinal))
            {
                info = line[3..].Trim();
                text.Clear();
            }
            else if (info is not null && line.TrimEnd() == "```")
            {
                blocks.Add((info, text.ToString()));
                info = null;
            }
            else if (info is not null)
            {
                text.Append(line).Append('\n');
            }
        }

        return blocks;
    }

    /// <summary>The one block whose info string is exactly <paramref name="info"/>; fails the test unless there is one.</summary>
    public static string Block(string path, string info)
    {
        var matches = Blocks(path).Where(block => block.Info == info).ToList();
        Assert.True(matches.Count == 1, $"{path} should have exactly one ```{info} block; it has {matches.Count}");
        return matches[0].Text;
    }
}
