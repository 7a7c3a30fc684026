using DataAccessAudit.Classification;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Policy;

/// <summary>
/// An <see cref="AccessPolicy"/> as data: what a policy file (JSON) or a configuration section holds, before it is
/// validated and compiled into the policy the evaluator runs.
/// </summary>
/// <remarks>
/// <para>
/// Every property is plain data so that JSON and <c>IConfiguration</c> binding fill it the same way, and every value
/// is checked by <see cref="Validate"/>, which reports all problems at once, each naming the offending entry
/// (<c>jurisdictions[1].regions[3]: 'UK' is not an ISO 3166-1 alpha-2 code...</c>). Modes and cross-border rules
/// are strings for the same reason: a misspelt value becomes a problem that names it, not a binding exception.
/// </para>
/// <para>
/// <see cref="FromPolicy"/> turns a policy built in code back into data; the <c>project-texas</c> preset is
/// <c>AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas)</c>, written to <c>docs/policies/project-texas.json</c>.
/// </para>
/// </remarks>
public sealed class AccessPolicyOptions
{
    /// <summary>Gets or sets the policy's name, such as <c>project-texas</c>. Required.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the policy's version, such as <c>1</c>. Required.</summary>
    public string? Version { get; set; }

    /// <summary>Gets or sets the mode: <c>audit</c> (the default when absent) or <c>enforce</c>, ignoring case.</summary>
    public string? Mode { get; set; }

    /// <summary>Gets or sets the taxonomy: the data categories and what crossing a border means for each. Required.</summary>
    public TaxonomyOptions? Taxonomy { get; set; }

    /// <summary>Gets or sets the jurisdictions the policy names, each a named set of regions.</summary>
    public IList<JurisdictionOptions> Jurisdictions { get; set; } = [];

    /// <summary>
    /// Gets or sets the names of the jurisdictions that are home to data, in order: a region's home is the first of
    /// them that contains it, otherwise the region alone. May be empty.
    /// </summary>
    public IList<string> HomeJurisdictions { get; set; } = [];

    /// <summary>
    /// Gets or sets the name of the jurisdiction whose requesters are always reported when they read protected data;
    /// null or absent for none.
    /// </summary>
    public string? CountriesOfConcern { get; set; }

    /// <summary>Gets or sets the bulk-data thresholds (US 28 CFR 202); null or absent for none.</summary>
    public BulkDataOptions? BulkData { get; set; }

    /// <summary>Describes a policy built in code as data, for writing to a file or a configuration source.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The options that <see cref="ToPolicy"/> compiles back into an equivalent policy.</returns>
    /// <exception cref="ArgumentException">Two different jurisdictions of the policy share a name, so they cannot be told apart as data.</exception>
    public static AccessPolicyOptions FromPolicy(AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var options = new AccessPolicyOptions
        {
            Name = policy.Name,
            Version = policy.Version,
            Mode = policy.Mode == PolicyMode.Enforce ? PolicyModeNames.Enforce : PolicyModeNames.Audit,
            Taxonomy = new TaxonomyOptions { Name = policy.Taxonomy.Name },
            CountriesOfConcern = policy.CountriesOfConcern?.Name,
        };

        foreach (var category in policy.Taxonomy.Categories)
        {
            policy.Taxonomy.TryGetRule(category, out var rule);
            options.Taxonomy.Categories.Add(new DataCategoryOptions { Name = category.Name, CrossBorder = CrossBorderRuleNames.Format(rule) });
        }

        var jurisdictions = new List<Jurisdiction>(policy.HomeJurisdictions);
        if (policy.CountriesOfConcern is { } concern && !jurisdictions.Contains(concern))
        {
            jurisdictions.Add(concern);
        }

        if (policy.BulkData is { } bulk)
        {
            foreach (var named in new[] { bulk.DataJurisdiction, bulk.CountriesOfConcern })
            {
                if (!jurisdictions.Contains(named))
                {
                    jurisdictions.Add(named);
                }
            }

            options.BulkData = BulkDataCompiler.ToOptions(bulk, policy.CountriesOfConcern);
        }

        foreach (var jurisdiction in jurisdictions)
        {
            if (options.Jurisdictions.Any(j => j.Name == jurisdiction.Name))
            {
                throw new ArgumentException(
                    $"Policy '{policy.Id}' has two different jurisdictions named '{jurisdiction.Name}'; as data, a jurisdiction is known by its name.",
                    nameof(policy));
            }

            options.Jurisdictions.Add(new JurisdictionOptions { Name = jurisdiction.Name, Regions = [.. jurisdiction.Regions.Select(r => r.Code)] });
        }

        foreach (var home in policy.HomeJurisdictions)
        {
            options.HomeJurisdictions.Add(home.Name);
        }

        return options;
    }

    /// <summary>Checks the options and reports every problem, each naming the offending entry and what was expected.</summary>
    /// <returns>The problems; empty when the options describe a valid policy.</returns>
    public IReadOnlyList<string> Validate() => AccessPolicyCompiler.Validate(this);

    /// <summary>Validates the options and compiles them into the policy the evaluator runs.</summary>
    /// <returns>The policy.</returns>
    /// <exception cref="InvalidPolicyException">The options are not a valid policy; <see cref="InvalidPolicyException.Problems"/> lists every problem.</exception>
    public AccessPolicy ToPolicy() => AccessPolicyCompiler.Compile(this);
}
