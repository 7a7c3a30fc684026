using DataAccessAudit.BulkData;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Policy;

// Validates the bulkData section of policy options (every problem, prefixed with its path as written in JSON) and
// compiles a valid one into a BulkDataPolicy, and turns a BulkDataPolicy back into options.
internal static class BulkDataCompiler
{
    public const string Persons = "persons";
    public const string Devices = "devices";

    public static BulkDataPolicy? Check(
        BulkDataOptions options,
        Dictionary<string, Jurisdiction> jurisdictions,
        HashSet<string> defined,
        Jurisdiction? policyConcern,
        List<string> problems)
    {
        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            problems.Add("bulkData.name: missing; expected a name, such as \"us-data-security-program\"");
        }

        var dataJurisdiction = Reference("bulkData.dataJurisdiction", options.DataJurisdiction, jurisdictions, defined, problems, required: true);
        var concern = options.CountriesOfConcern is null
            ? policyConcern
            : Reference("bulkData.countriesOfConcern", options.CountriesOfConcern, jurisdictions, defined, problems, required: true);
        if (options.CountriesOfConcern is null && policyConcern is null)
        {
            problems.Add("bulkData.countriesOfConcern: missing, and the policy names no countriesOfConcern; expected the name of a jurisdiction");
        }

        var kinds = new List<SensitiveDataKind>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = options.Kinds ?? [];
        if (list.Count == 0)
        {
            problems.Add("bulkData.kinds: empty; expected at least one kind of sensitive data with its threshold");
        }
        else if (list.Count > BulkDataPolicy.MaxKinds)
        {
            problems.Add($"bulkData.kinds: {list.Count} kinds; at most {BulkDataPolicy.MaxKinds} are allowed");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var path = $"bulkData.kinds[{i}]";
            var kind = list[i];
            if (kind is null)
            {
                problems.Add($"{path}: missing; expected a name and a threshold");
                continue;
            }

            var ok = true;
            if (string.IsNullOrWhiteSpace(kind.Name))
            {
                problems.Add($"{path}.name: missing; expected a kind's name, such as \"personal-health\"");
                ok = false;
            }
            else if (!seen.TryAdd(kind.Name, i))
            {
                problems.Add($"{path}.name: \"{kind.Name}\" is already defined by bulkData.kinds[{seen[kind.Name]}]; each kind is defined once");
                ok = false;
            }

            if (kind.Threshold is not { } threshold || threshold < 0)
            {
                problems.Add(kind.Threshold is null
                    ? $"{path}.threshold: missing; expected the largest number of persons that is not bulk, such as 10000 (0 for any amount)"
                    : $"{path}.threshold: {kind.Threshold} is negative; expected a number from 0 (any amount)");
                ok = false;
            }

            BulkCountUnit unit = BulkCountUnit.Persons;
            if (kind.Unit is not null)
            {
                if (string.Equals(kind.Unit, Devices, StringComparison.OrdinalIgnoreCase))
                {
                    unit = BulkCountUnit.Devices;
                }
                else if (!string.Equals(kind.Unit, Persons, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{path}.unit: \"{kind.Unit}\" is not a unit; expected \"{Persons}\" or \"{Devices}\"");
                    ok = false;
                }
            }

            if (kind.PartOf is not null && string.IsNullOrWhiteSpace(kind.PartOf))
            {
                problems.Add($"{path}.partOf: empty; expected the name of a broader kind, such as \"human-omic\", or the field left out");
                ok = false;
            }

            if (ok)
            {
                kinds.Add(new SensitiveDataKind(kind.Name!, kind.Threshold!.Value, unit) { PartOf = kind.PartOf });
            }
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is { PartOf: { } partOf } kind && !string.IsNullOrWhiteSpace(partOf))
            {
                if (!seen.ContainsKey(partOf))
                {
                    problems.Add($"bulkData.kinds[{i}].partOf: \"{partOf}\" names no kind; expected {KnownKinds(seen)}");
                }
                else if (PartOfItself(list, seen, i))
                {
                    problems.Add($"bulkData.kinds[{i}].partOf: \"{partOf}\" makes \"{kind.Name}\" part of itself; a kind is part of a broader one, never of itself");
                }
            }
        }

        var types = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        var seenTypes = new Dictionary<string, int>(StringComparer.Ordinal);
        var typeList = options.ResourceTypes ?? [];
        for (var i = 0; i < typeList.Count; i++)
        {
            var path = $"bulkData.resourceTypes[{i}]";
            var entry = typeList[i];
            if (entry is null)
            {
                problems.Add($"{path}: missing; expected a type and its kinds");
                continue;
            }

            if (string.IsNullOrWhiteSpace(entry.Type))
            {
                problems.Add($"{path}.type: missing; expected a resource type, such as \"health-record\"");
            }
            else if (!seenTypes.TryAdd(entry.Type, i))
            {
                problems.Add($"{path}.type: \"{entry.Type}\" is already mapped by bulkData.resourceTypes[{seenTypes[entry.Type]}]; each type is mapped once");
            }

            var names = entry.Kinds ?? [];
            if (names.Count == 0)
            {
                problems.Add($"{path}.kinds: empty; expected the names of the kinds the type carries (leave a type out to say it carries none)");
            }

            for (var k = 0; k < names.Count; k++)
            {
                if (names[k] is null || !seen.ContainsKey(names[k]))
                {
                    problems.Add($"{path}.kinds[{k}]: \"{names[k]}\" names no kind; expected {KnownKinds(seen)}");
                }
            }

            if (!string.IsNullOrWhiteSpace(entry.Type))
            {
                types.Add(new(entry.Type, [.. names.Where(n => n is not null).Distinct(StringComparer.Ordinal)]));
            }
        }

        var organizations = options.CoveredOrganizations ?? [];
        for (var i = 0; i < organizations.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(organizations[i]))
            {
                problems.Add($"bulkData.coveredOrganizations[{i}]: empty; expected an organization's name as requesters give it, such as \"ByteDance\"");
            }
        }

        return problems.Count == before && dataJurisdiction is not null && concern is not null
            ? new BulkDataPolicy(options.Name!, kinds, types, dataJurisdiction, concern, organizations)
            : null;
    }

    public static BulkDataOptions ToOptions(BulkDataPolicy policy, Jurisdiction? policyConcern)
    {
        var options = new BulkDataOptions
        {
            Name = policy.Name,
            DataJurisdiction = policy.DataJurisdiction.Name,
            CountriesOfConcern = ReferenceEquals(policy.CountriesOfConcern, policyConcern) ? null : policy.CountriesOfConcern.Name,
            CoveredOrganizations = [.. policy.CoveredOrganizations],
        };

        foreach (var kind in policy.Kinds)
        {
            options.Kinds.Add(new SensitiveDataKindOptions
            {
                Name = kind.Name,
                Threshold = kind.Threshold,
                Unit = kind.Unit == BulkCountUnit.Devices ? Devices : null,
                PartOf = kind.PartOf,
            });
        }

        foreach (var (type, kinds) in policy.ResourceTypes)
        {
            options.ResourceTypes.Add(new ResourceTypeKindsOptions { Type = type, Kinds = [.. kinds.Select(k => k.Name)] });
        }

        return options;
    }

    private static Jurisdiction? Reference(string path, string? name, Dictionary<string, Jurisdiction> jurisdictions, HashSet<string> defined, List<string> problems, bool required)
    {
        if (name is null)
        {
            if (required)
            {
                problems.Add($"{path}: missing; expected the name of a jurisdiction, such as \"US\"");
            }

            return null;
        }

        if (jurisdictions.TryGetValue(name, out var jurisdiction))
        {
            return jurisdiction;
        }

        if (!defined.Contains(name))
        {
            problems.Add($"{path}: \"{name}\" names no jurisdiction; expected {(defined.Count == 0 ? "a jurisdiction defined under jurisdictions" : string.Join(", ", defined.Select(k => $"\"{k}\"")))}");
        }

        return null;
    }

    // Whether following partOf from kinds[i] leads back to it (a kind part of itself, directly or through others).
    private static bool PartOfItself(IList<SensitiveDataKindOptions> kinds, Dictionary<string, int> seen, int i)
    {
        var at = i;
        for (var steps = 0; steps < kinds.Count; steps++)
        {
            if (kinds[at]?.PartOf is not { } partOf || !seen.TryGetValue(partOf, out at))
            {
                return false;
            }

            if (at == i)
            {
                return true;
            }
        }

        return false;
    }

    private static string KnownKinds(Dictionary<string, int> kinds) =>
        kinds.Count == 0 ? "a kind defined under bulkData.kinds, but none is" : $"one of {string.Join(", ", kinds.Keys.Select(k => $"\"{k}\""))}";
}
