namespace DataAccessAudit.Policy;

/// <summary>
/// A <see cref="BulkData.BulkDataPolicy"/> as data: the optional <c>bulkData</c> section of a policy file, which turns on
/// the US bulk-data thresholds (28 CFR 202) in reports and the bulk-data monitor.
/// </summary>
public sealed class BulkDataOptions
{
    /// <summary>Gets or sets the name, such as <c>us-data-security-program</c>. Required.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the name of the jurisdiction whose people's data counts, such as <c>US</c>. Required.</summary>
    public string? DataJurisdiction { get; set; }

    /// <summary>
    /// Gets or sets the name of the jurisdiction whose requesters count; when absent, the policy's
    /// <see cref="AccessPolicyOptions.CountriesOfConcern"/>.
    /// </summary>
    public string? CountriesOfConcern { get; set; }

    /// <summary>Gets or sets the organizations that are covered persons (matched to <c>requester.organization</c>, ignoring case).</summary>
    public IList<string> CoveredOrganizations { get; set; } = [];

    /// <summary>Gets or sets the kinds of sensitive data with their thresholds; at least one, names distinct.</summary>
    public IList<SensitiveDataKindOptions> Kinds { get; set; } = [];

    /// <summary>Gets or sets which kinds each resource type carries; types not listed carry none.</summary>
    public IList<ResourceTypeKindsOptions> ResourceTypes { get; set; } = [];
}
