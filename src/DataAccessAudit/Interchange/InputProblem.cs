namespace DataAccessAudit.Interchange;

/// <summary>A line of input that is not an event, or a place where a log is not intact: where, and why.</summary>
/// <param name="Source">The file or stream the line came from.</param>
/// <param name="Line">The 1-based line number; 0 when the problem is not about one line.</param>
/// <param name="Message">What is wrong, naming the offending value and what was expected.</param>
public sealed record InputProblem(string Source, long Line, string Message)
{
    /// <summary>Returns <c>source:line: message</c>.</summary>
    /// <returns>The problem in the form compilers use.</returns>
    public override string ToString() => Line > 0 ? $"{Source}:{Line}: {Message}" : $"{Source}: {Message}";
}
