using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class MarkdownTextTests
{
    // CommonMark 6.1: a span is fenced by a run of backticks that the content does not hold as a run of the same
    // length, and one space is stripped from each end when both ends are spaces and the content is not all spaces.
    [Theory]
    [InlineData("project-texas/1", "`project-texas/1`")]
    [InlineData("a`b/1", "``a`b/1``")]
    [InlineData("a``b`c/1", "```a``b`c/1```")]
    [InlineData("`edge`", "`` `edge` ``")]
    [InlineData("`start", "`` `start ``")]
    [InlineData(" spaced ", "`  spaced  `")]
    [InlineData(" left", "` left`")]
    [InlineData("   ", "`   `")]
    [InlineData("a\nb", "`a\\u000Ab`")]
    public void CodeSpan_HoldsTheValueAsItIs(string value, string expected) => Assert.Equal(expected, MarkdownText.CodeSpan(value));

    [Theory]
    [InlineData("a`b")]
    [InlineData("``")]
    [InlineData("` x `")]
    [InlineData(" a b ")]
    [InlineData("x```y`")]
    public void CodeSpan_ReadBackAsCommonMarkDoes_IsTheValue(string value) => Assert.Equal(value, ReadBack(MarkdownText.CodeSpan(value)));

    // A code span's content as CommonMark reads it: the opening run of backticks is closed only by a run of the same
    // length, and one space is stripped from each end when both are spaces and not everything is.
    private static string ReadBack(string span)
    {
        var fence = span.Length - span.TrimStart('`').Length;
        var content = span[fence..^fence];
        Assert.DoesNotContain(fence, System.Text.RegularExpressions.Regex.Matches(content, "`+").Select(run => run.Length));
        return content.Length >= 2 && content[0] == ' ' && content[^1] == ' ' && content.Any(c => c != ' ') ? content[1..^1] : content;
    }
}
