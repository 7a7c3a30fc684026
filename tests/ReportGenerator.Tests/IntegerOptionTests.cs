using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace DataAccessAudit.ReportGenerator.Tests;

// Every integer option of every command, found by walking the command tree: each says in words which whole numbers
// it takes, and anything else is a usage error at parse time.
public sealed class IntegerOptionTests
{
    public static TheoryData<string, string> IntegerOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, command) in CommandTree.Commands())
        {
            foreach (var option in command.Options.Where(o => IsInteger(Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType)))
            {
                data.Add(string.Join(' ', path), option.Name);
            }
        }

        return data;
    }

    [Fact]
    public void IntegerOptions_AreFound()
    {
        Assert.Contains(("prove", "--seq"), IntegerOptions().Select(row => row.Data));
    }

    [Theory]
    [MemberData(nameof(IntegerOptions))]
    public void IntegerOption_NotAWholeNumberOrOutOfItsRange_ExitsTwoSayingTheRangeInWords(string command, string option)
    {
        var words = Run(command, option, "abc");
        var range = Regex.Match(words.Error, $"^error: {Regex.Escape(option)} 'abc': expected a whole number from (-?[0-9]+) to ([0-9]+)\\.$", RegexOptions.Multiline);
        Assert.True(range.Success, words.Error);
        var minimum = BigInteger.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture);
        var maximum = BigInteger.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture);

        foreach (var value in new[] { minimum - 1, maximum + 1, BigInteger.Parse("99999999999999999999", CultureInfo.InvariantCulture) })
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            var run = Run(command, option, text);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"error: {option} '{text}': expected a whole number from {minimum} to {maximum}.", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", run.Error, StringComparison.Ordinal);
        }

        Assert.Equal(2, words.ExitCode);
        Assert.DoesNotContain("System.", words.Error, StringComparison.Ordinal);
        foreach (var value in new[] { minimum, maximum })
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            var parsed = CommandTree.Create().Parse([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), option, text]);
            Assert.DoesNotContain(parsed.Errors, error => error.Message.Contains(option, StringComparison.Ordinal));
        }
    }

    private static bool IsInteger(Type type) => type == typeof(int) || type == typeof(long);

    private static CommandRun Run(string command, string option, string value) =>
        CommandRun.Of([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), option, value]);
}
