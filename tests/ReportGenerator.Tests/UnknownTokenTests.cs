using System.Text.RegularExpressions;

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
}
