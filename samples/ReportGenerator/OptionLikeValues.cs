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
/// An option that takes one value takes the word after it, even one of the command's own options: <c>--out --strict</c>
/// wrote the report into a directory named <c>--strict</c>, without --strict. So a value of such an option that begins
/// with <c>--</c> is refused as well (a single '-' begins values such as a key id <c>-1</c>): a known option is named as
/// the value missing before it, any other as an unknown option. A verifier key string whose key name starts with '-'
/// is a key: a key name may begin with one, and such a string can only be read as that key.
/// </remarks>
internal static class OptionLikeValues
{
    /// <summary>Makes a value that looks like an option a parse error for every multi-value option and argument of <paramref name="command"/> and its subcommands.</summary>
    public static void ApplyTo(Command command) => ApplyTo(command, []);

    private static void ApplyTo(Command command, IReadOnlyCollection<string> inherited)
    {
        var known = new HashSet<string>(inherited, StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            known.Add(option.Name);
            known.UnionWith(option.Aliases);
        }

        foreach (var option in command.Options.Where(o => NonEmptyValues.IsText(o.ValueType)))
        {
            var isKey = option.HelpName == "KEY";
            if (option.AllowMultipleArgumentsPerToken)
            {
                option.Validators.Add(result => Check(result, isKey));
            }
            else
            {
                var expected = NonEmptyValues.ExpectedOf(option.HelpName);
                option.Validators.Add(result => CheckSingle(result, option.Name, expected, known));
            }
        }

        foreach (var argument in command.Arguments)
        {
            argument.Validators.Add(result => Check(result, isKey: false));
        }

        var recursive = command.Options.Where(o => o.Recursive).SelectMany(o => o.Aliases.Append(o.Name));
        foreach (var subcommand in command.Subcommands)
        {
            ApplyTo(subcommand, [.. inherited, .. recursive]);
        }
    }

    /// <summary>Whether <paramref name="value"/> would be a word given as an option rather than a value (a lone '-' is standard input).</summary>
    public static bool LooksLikeAnOption(string value) => value.Length > 1 && value[0] == '-';

    private static void CheckSingle(SymbolResult result, string name, string expected, HashSet<string> known)
    {
        if (result.Tokens is [{ Value: ['-', '-', _, ..] value }])
        {
            result.AddError(known.Contains(value)
                ? $"{name}: expected {expected} before the option '{value}' {GivenAsFile(value)}."
                : UnknownOption(value));
        }
    }

    private static void Check(SymbolResult result, bool isKey)
    {
        foreach (var token in result.Tokens)
        {
            if (LooksLikeAnOption(token.Value) && !(isKey && NoteVerifierKey.TryParse(token.Value, out _)))
            {
                result.AddError(UnknownOption(token.Value));
                return;
            }
        }
    }

    private static string UnknownOption(string value) => $"unknown option '{value}' {GivenAsFile(value)}.";

    // How a value that looks like an option is given when it is meant: a file whose name begins with '-'.
    private static string GivenAsFile(string value) => $"(a file whose name starts with '-' can be given as ./{value})";
}
