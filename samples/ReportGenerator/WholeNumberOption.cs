using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Makes every integer option of <c>access-report</c>, so that they all parse one way: a whole number within the
/// option's own range, or a usage error saying so in words (<c>--events 'abc': expected a whole number from 1 to
/// 2147483647.</c>) at parse time, rather than the parser's message naming a .NET type or a range check that exits as a
/// refusal later.
/// </summary>
internal static class WholeNumberOption
{
    private const string HelpName = "N";

    /// <summary>An <see cref="int"/> option with a default, from <paramref name="minimum"/> to <see cref="int.MaxValue"/>.</summary>
    public static Option<int> Int32(string name, string description, int minimum, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = HelpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, minimum, int.MaxValue) ?? defaultValue,
    };

    /// <summary>An optional <see cref="int"/> option (null when not given), from <paramref name="minimum"/> to <see cref="int.MaxValue"/>.</summary>
    public static Option<int?> OptionalInt32(string name, string description, int minimum) => new(name)
    {
        Description = description,
        HelpName = HelpName,
        CustomParser = result => Parse(result, name, minimum, int.MaxValue),
    };

    /// <summary>An optional <see cref="long"/> option (null when not given), from <paramref name="minimum"/> to <see cref="long.MaxValue"/>.</summary>
    public static Option<long?> OptionalInt64(string name, string description, long minimum) => new(name)
    {
        Description = description,
        HelpName = HelpName,
        CustomParser = result => Parse(result, name, minimum, long.MaxValue),
    };

    private static T? Parse<T>(ArgumentResult result, string name, T minimum, T maximum)
        where T : struct, IBinaryInteger<T>
    {
        // The arity check reports a missing value; there is nothing to parse then.
        if (result.Tokens.Count != 1)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} '{text}': expected a whole number from {minimum} to {maximum}."));
        return null;
    }
}
