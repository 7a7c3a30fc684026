using System.CommandLine;
using System.CommandLine.Parsing;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// No text option or argument of <c>access-report</c> takes an empty value: an empty path, key or name is never what
/// a user meant, and the libraries would refuse it later with an exception rather than a message. Applied once to the
/// whole command tree (<see cref="ApplyTo"/>), so that an option added later is covered without declaring it; what a
/// value should be is read from the option's help name (<c>--out &lt;DIR&gt;</c>), so that the error says it:
/// <c>--out '': expected a directory, not an empty value.</c>
/// </summary>
internal static class NonEmptyValues
{
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["DIR"] = "a directory",
        ["FILE"] = "a file",
        ["KEY"] = "a key or a file holding keys",
        ["ID"] = "an id",
        ["NAME"] = "a name",
        ["URL"] = "a URL",
        ["CONNECTION"] = "a connection string",
        ["SCHEMA"] = "a schema name",
        ["ZONE"] = "a time zone id",
        ["DATE"] = "a date as yyyy-MM-dd",
        ["FORMATS"] = "formats (html, md, csv, json)",
        ["POLICY"] = "a policy file or preset name",
        ["PROOF"] = "a proof file",
        ["N"] = "a whole number",
    };

    /// <summary>Makes an empty value a parse error for every text option and argument of <paramref name="command"/> and its subcommands.</summary>
    public static void ApplyTo(Command command)
    {
        foreach (var option in command.Options.Where(o => IsText(o.ValueType)))
        {
            var expected = ExpectedOf(option.HelpName);
            option.Validators.Add(result => Check(result, option.Name, expected));
        }

        foreach (var argument in command.Arguments.Where(a => IsText(a.ValueType)))
        {
            var expected = ExpectedOf(argument.HelpName ?? argument.Name);
            argument.Validators.Add(result => Check(result, argument.Name, expected));
        }

        foreach (var subcommand in command.Subcommands)
        {
            ApplyTo(subcommand);
        }
    }

    /// <summary>
    /// Gives an empty value written as <c>--log=</c> (or <c>--log:</c>) to its option as <c>--log ''</c> would, so that
    /// it is reported as empty: System.CommandLine drops the empty part and then calls the value missing.
    /// </summary>
    public static string[] SplitEmptyAssignments(Command root, string[] args)
    {
        var textOptions = new HashSet<string>(StringComparer.Ordinal);
        AddTextOptionNames(root, textOptions);
        var result = new List<string>(args.Length);
        var options = true;
        foreach (var arg in args)
        {
            if (options && arg.Length > 1 && arg[^1] is '=' or ':' && textOptions.Contains(arg[..^1]))
            {
                result.Add(arg[..^1]);
                result.Add(string.Empty);
                continue;
            }

            options &= arg != "--";
            result.Add(arg);
        }

        return [.. result];
    }

    private static void AddTextOptionNames(Command command, HashSet<string> names)
    {
        foreach (var option in command.Options.Where(o => IsText(o.ValueType)))
        {
            names.Add(option.Name);
            names.UnionWith(option.Aliases);
        }

        foreach (var subcommand in command.Subcommands)
        {
            AddTextOptionNames(subcommand, names);
        }
    }

    /// <summary>
    /// The tool's wording of an option given without its value, such as <c>--out</c> last on the command line
    /// (<c>--out: expected a directory, no value given.</c>), or of a command without its argument, in place of
    /// System.CommandLine's "Required argument missing for option" (or "for command"); null for any other parse error.
    /// </summary>
    public static string? MissingValue(ParseError error) => error.SymbolResult switch
    {
        OptionResult { Implicit: false, Tokens.Count: 0 } option when option.Option.Arity.MinimumNumberOfValues > 0 =>
            $"{option.Option.Name}: expected {ExpectedOf(option.Option.HelpName)}, no value given.",
        ArgumentResult { Tokens.Count: 0 } argument when argument.Argument.Arity.MinimumNumberOfValues > 0 =>
            $"{argument.Argument.Name}: expected {ExpectedOf(argument.Argument.HelpName ?? argument.Argument.Name)}, no value given.",
        _ => null,
    };

    internal static bool IsText(Type type) => type == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(type);

    // What a value of an option or argument with this help name is, such as "a directory" for DIR.
    internal static string ExpectedOf(string? helpName) => helpName is not null && Expected.TryGetValue(helpName, out var expected) ? expected : "a value";

    private static void Check(SymbolResult result, string name, string expected)
    {
        if (result.Tokens.Any(token => token.Value.Length == 0))
        {
            result.AddError($"{name} '': expected {expected}, not an empty value.");
        }
    }
}
