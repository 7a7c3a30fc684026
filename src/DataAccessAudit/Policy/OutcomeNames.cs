namespace DataAccessAudit.Policy;

/// <summary>The stable lower-case names of <see cref="AccessOutcome"/> used in files and reports.</summary>
public static class OutcomeNames
{
    /// <summary>Returns the stable name of an outcome: <c>allowed</c>, <c>approved</c>, <c>flagged</c> or <c>denied</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The name.</returns>
    public static string Format(AccessOutcome outcome) => outcome switch
    {
        AccessOutcome.Allowed => "allowed",
        AccessOutcome.Approved => "approved",
        AccessOutcome.Flagged => "flagged",
        AccessOutcome.Denied => "denied",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Expected allowed, approved, flagged or denied."),
    };

    /// <summary>Parses a stable outcome name (exact, lower-case).</summary>
    /// <param name="name">The name.</param>
    /// <param name="outcome">The outcome.</param>
    /// <returns>True when <paramref name="name"/> is one of the four names.</returns>
    public static bool TryParse(string name, out AccessOutcome outcome)
    {
        switch (name)
        {
            case "allowed": outcome = AccessOutcome.Allowed; return true;
            case "approved": outcome = AccessOutcome.Approved; return true;
            case "flagged": outcome = AccessOutcome.Flagged; return true;
            case "denied": outcome = AccessOutcome.Denied; return true;
            default: outcome = default; return false;
        }
    }
}
