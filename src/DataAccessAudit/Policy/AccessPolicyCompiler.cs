using System.Globalization;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Policy;

// Validates AccessPolicyOptions (collecting every problem, each prefixed with the path of its entry as it is
// written in JSON) and compiles valid options into an AccessPolicy.
internal static class AccessPolicyCompiler
{
    public static IReadOnlyList<string> Validate(AccessPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Check(options, problems);
        return problems;
    }

    public static AccessPolicy Compile(AccessPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var compiled = Check(options, problems);
        return problems.Count > 0 || compiled is null ? throw new InvalidPolicyException(problems) : compiled;
    }

    // Every decision carries the name and version into the log and the shared store, which hold them unchanged only as
    // text without U+0000 and without unpaired surrogates (the event types' rule).
    private static string Unrecordable(string member, int index) => string.Create(
        CultureInfo.InvariantCulture,
        $"{member}: holds U+0000 or an unpaired surrogate at index {index}; expected text every store of the audit log holds unchanged");

    // Checks everything and, when nothing is wrong, builds the policy on the way.
    private static AccessPolicy? Check(AccessPolicyOptions options, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            problems.Add("name: missing; expected the policy's name, such as \"project-texas\"");
        }
        else if (EventText.IndexOfUnfaithful(options.Name) is var at and >= 0)
        {
            problems.Add(Unrecordable("name", at));
        }

        if (string.IsNullOrWhiteSpace(options.Version))
        {
            problems.Add("version: missing; expected the policy's version, such as \"1\"");
        }
        else if (EventText.IndexOfUnfaithful(options.Version) is var at and >= 0)
        {
            problems.Add(Unrecordable("version", at));
        }

        if (!PolicyModeNames.TryParse(options.Mode, out var mode))
        {
            problems.Add($"mode: \"{ShownValue.Of(options.Mode)}\" is not a policy mode; expected \"{PolicyModeNames.Audit}\" or \"{PolicyModeNames.Enforce}\"");
        }

        var taxonomy = CheckTaxonomy(options.Taxonomy, problems);
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var jurisdictions = CheckJurisdictions(options.Jurisdictions, defined, problems);
        var homes = CheckHomes(options.HomeJurisdictions, jurisdictions, defined, problems);

        // A reference to a jurisdiction that is defined but invalid is not reported again: its own entry says what is wrong.
        Jurisdiction? countriesOfConcern = null;
        if (options.CountriesOfConcern is { } concernName && !jurisdictions.TryGetValue(concernName, out countriesOfConcern) && !defined.Contains(concernName))
        {
            problems.Add($"countriesOfConcern: \"{ShownValue.Of(concernName)}\" names no jurisdiction; expected {Known(defined)}, or null for none");
        }

        var bulkData = options.BulkData is { } bulk
            ? BulkDataCompiler.Check(bulk, jurisdictions, defined, countriesOfConcern, problems)
            : null;

        return problems.Count == 0
            ? new AccessPolicy(options.Name!, options.Version!, taxonomy!, homes, countriesOfConcern, mode).WithBulkData(bulkData)
            : null;
    }

    private static Taxonomy? CheckTaxonomy(TaxonomyOptions? options, List<string> problems)
    {
        if (options is null)
        {
            problems.Add("taxonomy: missing; expected a name and the categories, each with its cross-border rule");
            return null;
        }

        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            problems.Add("taxonomy.name: missing; expected the taxonomy's name, such as \"project-texas\"");
        }

        var categories = new List<KeyValuePair<DataCategory, CrossBorderRule>>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = options.Categories ?? [];
        if (list.Count == 0)
        {
            problems.Add("taxonomy.categories: empty; a taxonomy must name at least one category");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var path = $"taxonomy.categories[{i}]";
            var category = list[i];
            if (category is null)
            {
                problems.Add($"{path}: missing; expected a name and a cross-border rule");
                continue;
            }

            if (string.IsNullOrWhiteSpace(category.Name))
            {
                problems.Add($"{path}.name: missing; expected a category name, such as \"protected\"");
            }
            else if (!seen.TryAdd(category.Name, i))
            {
                problems.Add($"{path}.name: \"{ShownValue.Of(category.Name)}\" is already defined by taxonomy.categories[{seen[category.Name]}]; each category is defined once");
            }

            if (!CrossBorderRuleNames.TryParse(category.CrossBorder, out var rule))
            {
                problems.Add(category.CrossBorder is null
                    ? $"{path}.crossBorder: missing; expected \"{CrossBorderRuleNames.RequiresApproval}\" or \"{CrossBorderRuleNames.Allowed}\""
                    : $"{path}.crossBorder: \"{ShownValue.Of(category.CrossBorder)}\" is not a cross-border rule; expected \"{CrossBorderRuleNames.RequiresApproval}\" or \"{CrossBorderRuleNames.Allowed}\"");
            }

            if (!string.IsNullOrWhiteSpace(category.Name))
            {
                categories.Add(new(new DataCategory(category.Name), rule));
            }
        }

        return problems.Count == before ? new Taxonomy(options.Name!, categories) : null;
    }

    private static Dictionary<string, Jurisdiction> CheckJurisdictions(IList<JurisdictionOptions>? list, HashSet<string> defined, List<string> problems)
    {
        var jurisdictions = new Dictionary<string, Jurisdiction>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        list ??= [];
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"jurisdictions[{i}]";
            var jurisdiction = list[i];
            if (jurisdiction is null)
            {
                problems.Add($"{path}: missing; expected a name and regions");
                continue;
            }

            var before = problems.Count;
            var name = jurisdiction.Name;
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add($"{path}.name: missing; expected a name that home jurisdictions and countries of concern can refer to, such as \"US\"");
            }
            else if (!seen.TryAdd(name, i))
            {
                problems.Add($"{path}.name: \"{ShownValue.Of(name)}\" is already defined by jurisdictions[{seen[name]}]; each jurisdiction is defined once");
            }
            else
            {
                defined.Add(name);
            }

            var codes = jurisdiction.Regions ?? [];
            if (codes.Count == 0)
            {
                problems.Add($"{path}.regions: empty; jurisdiction \"{ShownValue.Of(name)}\" must contain at least one region");
            }

            var regions = new List<Region>(codes.Count);
            for (var r = 0; r < codes.Count; r++)
            {
                var code = codes[r];
                if (code is null)
                {
                    problems.Add($"{path}.regions[{r}]: missing (null); expected an ISO 3166-1 alpha-2 code, such as US, GB or CN");
                }
                else if (!Region.TryParse(code, out var region))
                {
                    problems.Add($"{path}.regions[{r}]: '{ShownValue.Of(code)}' is not an ISO 3166-1 alpha-2 code; expected one of the 249 assigned two-letter codes, such as US, GB or CN");
                }
                else if (region.IsUnknown)
                {
                    problems.Add($"{path}.regions[{r}]: '{ShownValue.Of(code)}' is the unknown region; a jurisdiction lists where its regions are, so ZZ cannot be one of them");
                }
                else
                {
                    regions.Add(region);
                }
            }

            if (problems.Count == before)
            {
                jurisdictions.Add(name!, new Jurisdiction(name!, regions));
            }
        }

        return jurisdictions;
    }

    private static List<Jurisdiction> CheckHomes(IList<string>? names, Dictionary<string, Jurisdiction> jurisdictions, HashSet<string> defined, List<string> problems)
    {
        var homes = new List<Jurisdiction>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        names ??= [];
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name is null || !defined.Contains(name))
            {
                problems.Add($"homeJurisdictions[{i}]: \"{ShownValue.Of(name)}\" names no jurisdiction; expected {Known(defined)}");
            }
            else if (!seen.TryAdd(name, i))
            {
                problems.Add($"homeJurisdictions[{i}]: \"{ShownValue.Of(name)}\" is already listed at homeJurisdictions[{seen[name]}]");
            }
            else if (jurisdictions.TryGetValue(name, out var home))
            {
                homes.Add(home);
            }
        }

        return homes;
    }

    private static string Known(HashSet<string> defined) =>
        defined.Count == 0
            ? "the name of a jurisdiction defined under jurisdictions, but none is"
            : $"one of {string.Join(", ", defined.Select(k => $"\"{ShownValue.Of(k)}\""))}";
}
