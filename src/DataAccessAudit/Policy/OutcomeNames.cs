using System.Text;

namespace DataAccessAudit.Policy;

/// <summary>The stable lower-case names of <see cref="AccessOutcome"/> used in files and reports.</summary>
public static class OutcomeNames
{
    // Indexed by the outcome's value; the one list of the names, in both encodings.
    private static readonly string[] Names = ["allowed", "approved", "flagged", "denied"];
    private static readonly byte[][] Utf8Names = [.. Names.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Returns the stable name of an outcome: <c>allowed</c>, <c>approved</c>, <c>flagged</c> or <c>denied</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is not one of the four outcomes.</exception>
    public static string Format(AccessOutcome outcome) =>
        (uint)outcome < (uint)Names.Length
            ? Names[(int)outcome]
            : throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Expected allowed, approved, flagged or denied.");

    /// <summary>Parses a stable outcome name (exact, lower-case).</summary>
    /// <param name="name">The name.</param>
    /// <param name="outcome">The outcome.</param>
    /// <returns>True when <paramref name="name"/> is one of the four names.</returns>
    public static bool TryParse(string name, out AccessOutcome outcome)
    {
        var index = Array.IndexOf(Names, name);
        outcome = (AccessOutcome)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Parses a stable outcome name (exact, lower-case) from UTF-8, as readers of files meet it.</summary>
    /// <param name="utf8Name">The name in UTF-8.</param>
    /// <param name="outcome">The outcome.</param>
    /// <returns>True when <paramref name="utf8Name"/> is one of the four names.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Name, out AccessOutcome outcome)
    {
        for (var i = 0; i < Utf8Names.Length; i++)
        {
            if (utf8Name.SequenceEqual(Utf8Names[i]))
            {
                outcome = (AccessOutcome)i;
                return true;
            }
        }

        outcome = default;
        return false;
    }
}
