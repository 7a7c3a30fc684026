using System.CommandLine;
using System.Text.RegularExpressions;
using DataAccessAudit.Transparency;

namespace DataAccessAudit.ReportGenerator.Tests;

// What a word that no command or option of access-report takes is called, for every command: the contract's
// "unknown option '--bogus'", never System.CommandLine's own wording, and a usage error.
public sealed class UnknownTokenTests
{
    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in CommandTree.Commands())
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void UnknownOption_ExitsTwoNamingItAsAnUnknownOption(string command)
    {
        var run = CommandRun.Of([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--bogus"]);

        Assert.Equal(2, run.ExitCode);
        // check-proof adds how a file named like an option is given, as report --events does.
        Assert.Matches(new Regex("^error: unknown option '--bogus'(\\.| \\(a file whose name starts with '-' can be given as \\./--bogus\\)\\.)$", RegexOptions.Multiline), run.Error.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("Unrecognized", run.Error, StringComparison.Ordinal);
    }

    // Every option that takes several values in a row, walked so that one added later is covered.
    public static TheoryData<string, string> MultiValueOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, option) in MultiValueOptionNames())
        {
            data.Add(command, option);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MultiValueOptions))]
    public void UnknownOptionAfterAMultiValueOption_IsAnUnknownOptionNotOneMoreValue(string command, string option)
    {
        foreach (var unknown in new[] { "--bogus", "-x" })
        {
            string[][] tails = [[option, "value", unknown], [option, "value", "value2", unknown], [option, unknown]];
            foreach (var tail in tails)
            {
                var run = CommandRun.Of([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), .. tail]);

                Assert.Equal(2, run.ExitCode);
                Assert.Matches(new Regex($"^error: unknown option '{Regex.Escape(unknown)}' \\(a file whose name starts with '-' can be given as \\./{Regex.Escape(unknown)}\\)\\.$", RegexOptions.Multiline), run.Error.ReplaceLineEndings("\n"));
                Assert.DoesNotContain($"'{unknown}': ", run.Error, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void MultiValueOptionsExist_SoThatTheTheoryAboveTestsSomething()
    {
        Assert.Contains(("verify", "--public-key"), MultiValueOptionNames());
        Assert.Contains(("verify", "--witness-key"), MultiValueOptionNames());
        Assert.Contains(("witness", "--log-key"), MultiValueOptionNames());
        Assert.Contains(("report", "--events"), MultiValueOptionNames());
    }

    [Fact]
    public void VerifierKeyWhoseNameStartsWithDashes_IsTakenAsTheKey()
    {
        var key = NoteSigningKey.Generate("--odd.example", cosigner: false).VerifierKey.ToString();

        var run = CommandRun.Of("verify", "--log", "no-such-log-dir", "--public-key", key);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --log 'no-such-log-dir': directory not found.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOptionWithAValue_NamesTheOptionAsGiven()
    {
        var run = CommandRun.Of("verify", "--log", "log", "--bogus=1");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: unknown option '--bogus=1'.{Environment.NewLine}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_ExitsTwoNamingIt()
    {
        var run = CommandRun.Of("bogus");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: unknown command 'bogus'.{Environment.NewLine}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraArgument_ExitsTwoNamingIt()
    {
        var run = CommandRun.Of("verify", "--log", "log", "extra");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: unexpected argument 'extra'.{Environment.NewLine}", run.Error, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Command, string Option)> MultiValueOptionNames() =>
        from entry in CommandTree.Commands()
        from option in entry.Command.Options
        where option.AllowMultipleArgumentsPerToken
        select (string.Join(' ', entry.Path), option.Name);
}
