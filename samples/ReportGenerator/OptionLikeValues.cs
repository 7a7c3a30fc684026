using System.CommandLine;
using System.CommandLine.Parsing;
using DataAccessAudit.Transparency;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// A word System.CommandLine does not know as an option is a value to it: an option that takes several values in a
/// row (<c>--events</c>, <c>--public-key</c>, <c>--witness-key</c>, <c>--log-key</c>) or a command's argument takes
/// <c>--bogus</c> as one more file or key, and the user is told that no file <c>--bogus</c> exists instead of that
/// they mistyped an option. Applied once to the whole command tree (<see cref="ApplyTo"/>), so that such an option
/// added later is covered without declaring it: a value that looks like an option is reported as an unknown option,
/// with how a file whose name starts with '-' is given.
/// </summary>
/// <remarks>
/// A value after an option that takes exactly one is left to that option (<c>--out -x</c>): the option needs a value,
/// and the word after it is the one it was given. A verifier key string whose key name starts with '-' is a key: a
/// key name may begin with one, and such a string can only be read as that key.
/// </remarks>
internal static class OptionLikeValues
{
    /// <summary>Makes a value that looks like an option a parse error for every multi-value option and argument of <paramref name="command"/> and its subcommands.</summary>
    public static void ApplyTo(Command command)
    {
        foreach (var option in command.Options.Where(o => o.AllowMultipleArgumentsPerToken))
        {
            var isKey = option.HelpName == "KEY";
            option.Validators.Add(result => Check(result, isKey));
        }

        foreach (var argument in command.Arguments)
        {
            argument.Validators.Add(result => Check(result, isKey: false));
        }

        foreach (var subcommand in command.Subcommands)
        {
            ApplyTo(subcommand);
        }
    }

    /// <summary>Whether <paramref name="value"/> would be a word given as an option rather than a value (a lone '-' is standard input).</summary>
    public static bool LooksLikeAnOption(string value) => value.Length > 1 && value[0] == '-';

    private static void Check(SymbolResult result, bool isKey)
    {
        foreach (var token in result.Tokens)
        {
            if (LooksLikeAnOption(token.Value) && !(isKey && NoteVerifierKey.TryParse(token.Value, out _)))
            {
                result.AddError($"unknown option '{token.Value}' (a file whose name starts with '-' can be given as ./{token.Value}).");
                return;
            }
        }
    }
}
