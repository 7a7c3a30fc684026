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

    // Every option that takes one text value, walked so that one added later is covered.
    public static TheoryData<string, string> SingleValueTextOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, command) in CommandTree.Commands())
        {
            foreach (var option in command.Options.Where(o => o.ValueType == typeof(string)))
            {
                data.Add(string.Join(' ', path), option.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SingleValueTextOptions))]
    public void UnknownOptionAsTheValueOfASingleValueOption_IsAnUnknownOption(string command, string option)
    {
        var run = CommandRun.Of([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), option, "--bogus"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(new Regex("^error: unknown option '--bogus' \\(a file whose name starts with '-' can be given as \\./--bogus\\)\\.$", RegexOptions.Multiline), run.Error.ReplaceLineEndings("\n"));
    }

    // The option after --out was its value: the report went to a directory named --strict, written without --strict,
    // and exited 0 whatever it found.
    [Fact]
    public void KnownOptionAfterAnOptionMissingItsValue_IsNamedAsTheValueMissing_AndNothingIsWritten()
    {
        var directory = Directory.CreateTempSubdirectory("access-report-option-value-").FullName;
        try
        {
            var events = Path.Combine(directory, "events.jsonl");
            File.WriteAllText(events, string.Empty);
            var previous = Environment.CurrentDirectory;

            var run = CommandRun.Of("report", "--events", events, "--out", "--strict");

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith("error: --out: expected a directory before the option '--strict' (a file whose name starts with '-' can be given as ./--strict).", run.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(previous, "--strict")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ValueStartingWithASingleDash_IsTheValueOfASingleValueOption()
    {
        var directory = Directory.CreateTempSubdirectory("access-report-option-value-").FullName;
        try
        {
            var run = CommandRun.Of("keygen", "--key-file", Path.Combine(directory, "keys"), "--id", "-1");

            Assert.True(run.ExitCode == 0, run.Error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
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
    public void MisspeltCommand_IsTheOneErrorNotItsOptions()
    {
        // The words after a misspelt command are the options of the command meant: called unknown commands and
        // options of their own, followed by "Required command was not provided", they hid the one mistake made.
        var run = CommandRun.Of("verfy", "--log", "audit-log", "--key-file", "audit.keys");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"error: unknown command 'verfy'.{Environment.NewLine}Run 'access-report --help' for the commands and options.{Environment.NewLine}",
            run.Error);
    }

    [Fact]
    public void ExtraArgument_ExitsTwoNamingIt()
    {
        var run = CommandRun.Of("verify", "--log", "log", "extra");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: unexpected argument 'extra'.{Environment.NewLine}", run.Error, StringComparison.Ordinal);
    }

    // The tool refuses words nothing takes, so its help must not offer them: System.CommandLine writes "[[--]
    // <additional arguments>...]]" and "Arguments passed to the application that is being run." for a command that
    // leaves unmatched words to its caller.
    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void Help_OffersNoAdditionalArguments(string command)
    {
        var run = CommandRun.Of([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("additional arguments", run.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("passed to the application", run.Output, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Command, string Option)> MultiValueOptionNames() =>
        from entry in CommandTree.Commands()
        from option in entry.Command.Options
        where option.AllowMultipleArgumentsPerToken
        select (string.Join(' ', entry.Path), option.Name);
}
