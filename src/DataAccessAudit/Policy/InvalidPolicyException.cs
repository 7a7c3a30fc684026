namespace DataAccessAudit.Policy;

/// <summary>A policy described as data (a file, a configuration section) is not valid; every problem is listed.</summary>
/// <remarks>
/// Reporting all problems at once saves the round trips of fixing a policy file one error at a time; each problem names
/// the offending entry, such as <c>homeJurisdictions[1]: "EU" names no jurisdiction...</c>.
/// </remarks>
public sealed class InvalidPolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidPolicyException()
        : this([])
    {
    }

    /// <summary>Creates the exception with one problem.</summary>
    /// <param name="message">The problem.</param>
    public InvalidPolicyException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">What caused it, such as a JSON syntax error.</param>
    public InvalidPolicyException(string message, Exception? innerException)
        : base(Describe([message]), innerException) => Problems = [message];

    /// <summary>Creates the exception with every problem found.</summary>
    /// <param name="problems">The problems, each naming the offending entry.</param>
    public InvalidPolicyException(IReadOnlyList<string> problems)
        : base(Describe(problems)) => Problems = problems;

    /// <summary>Gets every problem, each naming the offending entry and what was expected.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count switch
        {
            0 => "The policy is not valid.",
            1 => $"The policy is not valid: {problems[0]}",
            _ => $"The policy is not valid ({problems.Count} problems):{Environment.NewLine}{string.Join(Environment.NewLine, problems)}",
        };
    }
}
