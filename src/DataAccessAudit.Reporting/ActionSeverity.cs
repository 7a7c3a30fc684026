namespace DataAccessAudit.Reporting;

/// <summary>
/// How urgently an access that needs action should be looked at, most severe first: the order of the "accesses needing
/// action" list (<see cref="AccessesNeedingAction"/>).
/// </summary>
public enum ActionSeverity
{
    /// <summary>The policy refused the access: someone tried, and the attempt itself needs an answer.</summary>
    Denied = 0,

    /// <summary>A flagged access to protected data by a requester in a country of concern.</summary>
    CountryOfConcern = 1,

    /// <summary>A flagged access to protected data across a border without a valid approval.</summary>
    CrossBorderProtected = 2,

    /// <summary>Any other flagged access, such as one from an unknown region or to an unknown category.</summary>
    Flagged = 3,
}
