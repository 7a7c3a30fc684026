using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class VisibleTextTests
{
    [Theory]
    [InlineData("emp-4411", "emp-4411")]
    [InlineData("\u001B[2J\u001B[H", "\\u001B[2J\\u001B[H")]
    [InlineData("\u001B]0;pwned\u0007", "\\u001B]0;pwned\\u0007")]
    [InlineData("\u009B2J", "\\u009B2J")]
    [InlineData("\u009D0;title\u009C", "\\u009D0;title\\u009C")]
    [InlineData("a\r\nb", "a\\u000D\\u000Ab")]
    [InlineData("a\u2028b\u2029c", "a\\u2028b\\u2029c")]
    [InlineData("invoice\u202Efdp.exe", "invoice\\u202Efdp.exe")]
    [InlineData("\u2066x\u2069\u200E\u200F\u061C", "\\u2066x\\u2069\\u200E\\u200F\\u061C")]
    [InlineData("tab\there\u007F", "tab\\u0009here\\u007F")]
    [InlineData("\u0000", "\\u0000")]
    [InlineData("e\u200Bmp-1\uFEFF\u2060", "e\\u200Bmp-1\\uFEFF\\u2060")]
    [InlineData("\u0645\u06CC\u200C\u0634\u0648\u062F \uD83D\uDC69\u200D\uD83D\uDCBB", "\u0645\u06CC\u200C\u0634\u0648\u062F \uD83D\uDC69\u200D\uD83D\uDCBB")]
    [InlineData("ü/ß/\u4E2D\uD83D\uDE00", "ü/ß/\u4E2D\uD83D\uDE00")]
    public void Escape_Text_ShowsEveryUnsafeCharacterAsAVisibleEscape(string text, string expected)
    {
        Assert.Equal(expected, VisibleText.Escape(text));
    }

    [Fact]
    public void Escape_SafeText_ReturnsTheSameInstance()
    {
        const string Id = "user/8812/messages";

        Assert.Same(Id, VisibleText.Escape(Id));
    }

    [Fact]
    public void Escape_EveryCharacter_EscapesExactlyTheControlBidiSeparatorAndInvisibleCharacters()
    {
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            var expected = char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u2028' or '\u2029'
                or '\u200B' or (>= '\u2060' and <= '\u2064') or '\uFEFF';
            Assert.True(expected == VisibleText.IsUnsafe(c), $"U+{(int)c:X4}");
            Assert.Equal(expected ? $"\\u{(int)c:X4}" : c.ToString(), VisibleText.Escape(c.ToString()));
        }
    }
}
