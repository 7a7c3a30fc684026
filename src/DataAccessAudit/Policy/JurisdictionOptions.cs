namespace DataAccessAudit.Policy;

/// <summary>A <see cref="Regions.Jurisdiction"/> as data, inside <see cref="AccessPolicyOptions"/>.</summary>
public sealed class JurisdictionOptions
{
    /// <summary>Gets or sets the name that home jurisdictions and countries of concern refer to, such as <c>US</c>. Required.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the regions, as ISO 3166-1 alpha-2 codes (any case); at least one, and not <c>ZZ</c>.</summary>
    public IList<string> Regions { get; set; } = [];
}
