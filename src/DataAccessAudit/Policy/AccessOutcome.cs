namespace DataAccessAudit.Policy;

/// <summary>What a policy decided about one access: exactly one per event.</summary>
public enum AccessOutcome
{
    /// <summary>Nothing to report (<c>allowed</c>).</summary>
    Allowed = 0,

    /// <summary>The access crossed a border under a valid approval and nothing else was found (<c>approved</c>).</summary>
    Approved = 1,

    /// <summary>The access had a finding; in audit mode it went ahead and is reported (<c>flagged</c>).</summary>
    Flagged = 2,

    /// <summary>In enforce mode, the policy refuses the access (<c>denied</c>).</summary>
    Denied = 3,
}
