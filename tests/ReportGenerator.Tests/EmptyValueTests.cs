using System.CommandLine;
using System.Text.RegularExpressions;

namespace DataAccessAudit.ReportGenerator.Tests;

// Every text option and argument of every command, found by walking the command tree: an empty value is a usage error
// naming it and what it expects, never an exception from deep inside a command.
public sealed class EmptyValueTests
{
    // The command's words, the option's name (or the argument's), and whether it is an argument.
    public static TheoryData<string, string, bool> TextValues()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (path, command) in CommandTree.Commands())
        {
            foreach (var option in command.Options.Where(o => IsText(o.ValueType)))
            {
                data.Add(string.Join(' ', path), option.Name, false);
            }

            foreach (var argument in command.Arguments.Where(a => IsText(a.ValueType)))
            {
                data.Add(string.Join(' ', path), argument.Name, true);
            }
        }

        return data;
    }

    // Options alone: an argument has no --name=value form.
    public static TheoryData<string, string> TextOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, name, isArgument) in TextValues().Select(row => row.Data))
        {
            if (!isArgument)
            {
                data.Add(command, name);
            }
        }

        return data;
    }

    [Fact]
    public void TextValues_AreFound()
    {
        var found = TextValues().Select(row => row.Data).ToList();

        Assert.Contains(("report", "--out", false), found);
        Assert.Contains(("witness", "--state", false), found);
        Assert.Contains(("verify", "--public-key", false), found);
        Assert.Contains(("check-proof", "PROOF", true), found);
    }

    [Theory]
    [MemberData(nameof(TextValues))]
    public void TextValue_Empty_ExitsTwoNamingItAndWhatItExpects(string command, string name, bool isArgument)
    {
        string[] words = [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), .. isArgument ? [""] : new[] { name, "" }];

        var run = CommandRun.Of(words);

        Assert.Equal(2, run.ExitCode);
        // Every text option declares a help name that says what it takes, so the message is never the bare fallback.
        Assert.Matches(new Regex($"^error: {Regex.Escape(name)} '': expected (?!a value,)[^\\n]+, not an empty value\\.$", RegexOptions.Multiline), run.Error);
        Assert.DoesNotContain("Unhandled exception", run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TextOptions))]
    public void TextValue_EmptyAfterAnEqualsSign_IsReportedAsEmpty_NotMissing(string command, string name)
    {
        foreach (var separator in new[] { "=", ":" })
        {
            var run = CommandRun.Of([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), name + separator]);

            Assert.Equal(2, run.ExitCode);
            Assert.Matches(new Regex($"^error: {Regex.Escape(name)} '': expected (?!a value,)[^\\n]+, not an empty value\\.$", RegexOptions.Multiline), run.Error);
            Assert.DoesNotContain($"missing for option: '{name}'", run.Error, StringComparison.Ordinal);
        }
    }

    // The value left off the end of the command line is worded as an empty one is, not as System.CommandLine's
    // "Required argument missing for option".
    [Theory]
    [MemberData(nameof(TextOptions))]
    public void TextValue_MissingAtTheEnd_ExitsTwoNamingItAndWhatItExpects(string command, string name)
    {
        var run = CommandRun.Of([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), name]);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(new Regex($"^error: {Regex.Escape(name)}: expected (?!a value,)[^\n]+, no value given\\.$", RegexOptions.Multiline), run.Error);
        Assert.DoesNotContain("Required argument missing", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingArgument_SaysWhatIsExpected()
    {
        var run = CommandRun.Of("check-proof", "--public-key", "audit.example.com/demo+01234567+AQ");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: PROOF: expected a proof file, no value given.\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOut_SaysADirectoryIsExpected()
    {
        var run = CommandRun.Of("report", "--events", "events.jsonl", "--out");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --out: expected a directory, no value given.\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingNumber_SaysAWholeNumberIsExpected()
    {
        var run = CommandRun.Of("demo", "--events");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --events: expected a whole number, no value given.\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void ValueAfterTheEndOfOptions_IsNotSplit()
    {
        var run = CommandRun.Of("report", "--events", "--", "--log=");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("--log '': expected", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyOut_SaysADirectoryIsExpected()
    {
        var run = CommandRun.Of("report", "--events", "events.jsonl", "--out", "");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --out '': expected a directory, not an empty value.", run.Error, StringComparison.Ordinal);
    }

    private static bool IsText(Type type) => type == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(type);
}
