namespace DataAccessAudit.Classification;

/// <summary>What crossing a border means for a data category.</summary>
public enum CrossBorderRule
{
    /// <summary>
    /// The data must stay at home: access from outside its home jurisdiction needs a valid approval, and the
    /// policy also watches where it is stored and whether a country of concern reads it (Project Texas' <c>protected</c>).
    /// </summary>
    RequiresApproval = 0,

    /// <summary>The data may be read from anywhere (Project Texas' <c>public</c> and <c>interoperability</c>).</summary>
    Allowed = 1,
}
