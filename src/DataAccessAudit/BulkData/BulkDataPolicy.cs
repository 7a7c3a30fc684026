using System.Collections.ObjectModel;
using DataAccessAudit.Regions;

namespace DataAccessAudit.BulkData;

/// <summary>
/// The bulk-data part of a policy (US 28 CFR Part 202, the Data Security Program): the kinds of sensitive personal data
/// and their thresholds, which resource types carry which kinds, whose data counts (the people of
/// <see cref="DataJurisdiction"/>), and who counts as a counterparty: requesters in <see cref="CountriesOfConcern"/>, and
/// requesters whose organization is listed in <see cref="CoveredOrganizations"/> (covered persons, 28 CFR 202.211).
/// </summary>
/// <remarks>
/// <para>
/// The rule aggregates transactions "involving the same U.S. person and the same foreign person or covered person"
/// (28 CFR 202.205), so the figure that can cross a threshold is distinct persons per kind per counterparty: the
/// covered organization when the requester belongs to one (its employees' accesses add up), otherwise the requester.
/// </para>
/// <para>
/// A resource type may carry several kinds (a health record with its patient's name and address), or none (private
/// messages are personal communications, which 28 CFR 202.249(b)(3) excludes). Data combining kinds meets the lowest
/// threshold among them (28 CFR 202.205(g)): a kind reached through such a type is judged against that lower threshold.
/// A kind counted at any amount (government-related data) lowers no other kind's threshold: the rule combines only the
/// categories of 28 CFR 202.205(a) to (f).
/// </para>
/// <para>Like every policy, this is data: see <c>bulkData</c> in <c>docs/policy.md</c>.</para>
/// </remarks>
public sealed class BulkDataPolicy
{
    /// <summary>The most kinds a policy may define.</summary>
    public const int MaxKinds = 64;

    private readonly Dictionary<string, ulong> _kindsOfType;

    // Per kind, the kinds of its category: itself, the kinds it is part of and the kinds part of those.
    private readonly ulong[] _categories;
    private readonly Dictionary<string, string> _organizationNames;

    /// <summary>Creates a bulk-data policy.</summary>
    /// <param name="name">Its name, such as <c>us-data-security-program</c>.</param>
    /// <param name="kinds">The kinds, names distinct, at most <see cref="MaxKinds"/>.</param>
    /// <param name="resourceTypes">Which kinds each resource type carries; every kind named must be among <paramref name="kinds"/>.</param>
    /// <param name="dataJurisdiction">The jurisdiction whose people's data counts (the data's home region must lie in it).</param>
    /// <param name="countriesOfConcern">The regions whose requesters count.</param>
    /// <param name="coveredOrganizations">The organizations (requester.organization, ignoring case) that are covered persons; their requesters count wherever they are.</param>
    /// <exception cref="ArgumentException">A name is empty or repeated, there are too many kinds, a resource type names an unknown kind, or a kind is part of an unknown kind or of itself.</exception>
    public BulkDataPolicy(
        string name,
        IEnumerable<SensitiveDataKind> kinds,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> resourceTypes,
        Jurisdiction dataJurisdiction,
        Jurisdiction countriesOfConcern,
        IEnumerable<string> coveredOrganizations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(resourceTypes);
        ArgumentNullException.ThrowIfNull(dataJurisdiction);
        ArgumentNullException.ThrowIfNull(countriesOfConcern);
        ArgumentNullException.ThrowIfNull(coveredOrganizations);
        var list = kinds.ToList();
        if (list.Count > MaxKinds)
        {
            throw new ArgumentException($"Bulk-data policy '{name}' defines {list.Count} kinds; at most {MaxKinds} are allowed.", nameof(kinds));
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kind in list)
        {
            ArgumentNullException.ThrowIfNull(kind, nameof(kinds));
            if (!index.TryAdd(kind.Name, index.Count))
            {
                throw new ArgumentException($"Bulk-data policy '{name}' defines the kind '{kind.Name}' twice.", nameof(kinds));
            }
        }

        // An access counted toward a kind counts toward every kind it is part of, directly or through another.
        var broader = new ulong[list.Count];
        var roots = new int[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            broader[i] = 1UL << i;
            roots[i] = i;
            for (var kind = list[i]; kind.PartOf is { } partOf;)
            {
                if (!index.TryGetValue(partOf, out var p))
                {
                    throw new ArgumentException($"The kind '{kind.Name}' is part of '{partOf}', which bulk-data policy '{name}' does not define.", nameof(kinds));
                }

                if ((broader[i] & (1UL << p)) != 0)
                {
                    throw new ArgumentException($"The kind '{list[i].Name}' of bulk-data policy '{name}' is part of itself through '{partOf}'.", nameof(kinds));
                }

                broader[i] |= 1UL << p;
                roots[i] = p;
                kind = list[p];
            }
        }

        _categories = new ulong[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            for (var j = 0; j < list.Count; j++)
            {
                if (roots[j] == roots[i])
                {
                    _categories[i] |= 1UL << j;
                }
            }
        }

        _kindsOfType = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var types = new SortedDictionary<string, IReadOnlyList<SensitiveDataKind>>(StringComparer.Ordinal);
        foreach (var (type, kindNames) in resourceTypes)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(type, nameof(resourceTypes));
            ArgumentNullException.ThrowIfNull(kindNames, nameof(resourceTypes));
            var mask = 0UL;
            foreach (var kindName in kindNames)
            {
                if (kindName is null || !index.TryGetValue(kindName, out var i))
                {
                    throw new ArgumentException($"Resource type '{type}' names the kind '{kindName}', which bulk-data policy '{name}' does not define.", nameof(resourceTypes));
                }

                mask |= 1UL << i;
            }

            var counted = 0UL;
            for (var bits = mask; bits != 0; bits &= bits - 1)
            {
                counted |= broader[System.Numerics.BitOperations.TrailingZeroCount(bits)];
            }

            if (!_kindsOfType.TryAdd(type, counted))
            {
                throw new ArgumentException($"Bulk-data policy '{name}' maps the resource type '{type}' twice.", nameof(resourceTypes));
            }

            types[type] = KindsOf(list, mask);
        }

        _organizationNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var organizations = new List<string>();
        foreach (var organization in coveredOrganizations)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(organization, nameof(coveredOrganizations));
            if (_organizationNames.TryAdd(organization, organization))
            {
                organizations.Add(organization);
            }
        }

        Name = name;
        Kinds = list.AsReadOnly();
        ResourceTypes = new ReadOnlyDictionary<string, IReadOnlyList<SensitiveDataKind>>(types);
        DataJurisdiction = dataJurisdiction;
        CountriesOfConcern = countriesOfConcern;
        CoveredOrganizations = organizations.AsReadOnly();
    }

    /// <summary>
    /// Gets the 28 CFR 202 preset, named <c>us-data-security-program</c>: the kinds of 28 CFR 202.205 and government-related
    /// data with their thresholds, the data of people in <see cref="Jurisdiction.UnitedStates"/>, requesters in
    /// <see cref="Jurisdiction.CountriesOfConcern"/>, no covered organizations (an app lists its own), and a mapping of
    /// common resource type names (<c>contact-info</c>, <c>device-id</c>, <c>ip-address</c>, <c>precise-location</c>,
    /// <c>payment-info</c>, <c>health-record</c>, <c>biometric-template</c>, <c>genome</c>, ...; see <c>docs/bulk-data.md</c>).
    /// </summary>
    public static BulkDataPolicy DataSecurityProgram { get; } = new(
        "us-data-security-program",
        [
            SensitiveDataKind.HumanGenomic,
            SensitiveDataKind.HumanOmic,
            SensitiveDataKind.BiometricIdentifiers,
            SensitiveDataKind.PreciseGeolocation,
            SensitiveDataKind.PersonalHealth,
            SensitiveDataKind.PersonalFinancial,
            SensitiveDataKind.CoveredPersonalIdentifiers,
            SensitiveDataKind.GovernmentRelated,
        ],
        [
            new("contact-info", ["covered-personal-identifiers"]),
            new("device-id", ["covered-personal-identifiers"]),
            new("ip-address", ["covered-personal-identifiers"]),
            new("account-id", ["covered-personal-identifiers"]),
            new("precise-location", ["precise-geolocation"]),
            new("payment-info", ["personal-financial", "covered-personal-identifiers"]),
            new("health-record", ["personal-health", "covered-personal-identifiers"]),
            new("biometric-template", ["biometric-identifiers"]),
            new("face-image", ["biometric-identifiers"]),
            new("genome", ["human-genomic"]),
            new("omic-profile", ["human-omic"]),
            new("government-personnel", ["government-related", "covered-personal-identifiers"]),
        ],
        Jurisdiction.UnitedStates,
        Jurisdiction.CountriesOfConcern,
        []);

    /// <summary>Gets the name, such as <c>us-data-security-program</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the kinds, in the order defined.</summary>
    public IReadOnlyList<SensitiveDataKind> Kinds { get; }

    /// <summary>Gets the kinds each mapped resource type carries, by type (ordinal order).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SensitiveDataKind>> ResourceTypes { get; }

    /// <summary>Gets the jurisdiction whose people's data counts.</summary>
    public Jurisdiction DataJurisdiction { get; }

    /// <summary>Gets the regions whose requesters count.</summary>
    public Jurisdiction CountriesOfConcern { get; }

    /// <summary>Gets the covered organizations, as first listed.</summary>
    public IReadOnlyList<string> CoveredOrganizations { get; }

    /// <summary>Returns a copy of this policy with other covered organizations.</summary>
    /// <param name="organizations">The organizations that are covered persons.</param>
    /// <returns>The new policy.</returns>
    public BulkDataPolicy WithCoveredOrganizations(IEnumerable<string> organizations) =>
        new(Name, Kinds, ResourceTypes.Select(t => new KeyValuePair<string, IReadOnlyList<string>>(t.Key, [.. t.Value.Select(k => k.Name)])), DataJurisdiction, CountriesOfConcern, organizations);

    /// <summary>Gets the kinds a resource type carries.</summary>
    /// <param name="resourceType">The type, such as <c>health-record</c>; null or unmapped types carry none.</param>
    /// <returns>The kinds; empty when none.</returns>
    public IReadOnlyList<SensitiveDataKind> KindsOf(string? resourceType) =>
        resourceType is not null && ResourceTypes.TryGetValue(resourceType, out var kinds) ? kinds : [];

    /// <summary>
    /// Tells whether an access counts toward bulk thresholds and, if so, against which counterparty: the covered
    /// organization when the requester belongs to one, otherwise the requester when in a country of concern.
    /// </summary>
    /// <param name="requesterId">The requester's id.</param>
    /// <param name="requesterRegion">Where the requester was.</param>
    /// <param name="organization">The requester's organization, if known.</param>
    /// <param name="dataRegion">The home region of the data.</param>
    /// <param name="counterparty">The counterparty, when the access counts.</param>
    /// <returns>True when the data is about people of <see cref="DataJurisdiction"/> and the requester counts.</returns>
    public bool TryGetCounterparty(string requesterId, Region requesterRegion, string? organization, Region dataRegion, out BulkCounterparty counterparty)
    {
        ArgumentNullException.ThrowIfNull(requesterId);
        counterparty = default;
        if (!DataJurisdiction.Contains(dataRegion))
        {
            return false;
        }

        if (organization is not null && _organizationNames.TryGetValue(organization, out var listed))
        {
            counterparty = new BulkCounterparty(listed, IsOrganization: true);
            return true;
        }

        if (CountriesOfConcern.Contains(requesterRegion))
        {
            counterparty = new BulkCounterparty(requesterId, IsOrganization: false);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Gets the kinds an access to a resource type counts toward as a bit mask, bit <c>i</c> for <c>Kinds[i]</c>: the kinds
    /// the type carries and those they are part of (<see cref="SensitiveDataKind.PartOf"/>: a genome counts toward
    /// human-genomic and human-omic). What aggregation keeps per access instead of a list (a store computing the figures
    /// in SQL can keep the same number).
    /// </summary>
    /// <param name="resourceType">The type; null or unmapped types carry none.</param>
    /// <returns>The mask; zero when none.</returns>
    public ulong KindMaskOf(string? resourceType) =>
        resourceType is not null && _kindsOfType.TryGetValue(resourceType, out var mask) ? mask : 0;

    /// <summary>
    /// Gets the kinds that data of one kind came combined with, out of the kinds an access counted toward (a mask of
    /// <see cref="KindMaskOf"/>): the others, except those of the kind's own category (linked by
    /// <see cref="SensitiveDataKind.PartOf"/>). 28 CFR 202.205(g) combines different categories of 202.205(a) to (f):
    /// a genome, counted as genomic and as 'omic data, is one category and does not lower the 'omic threshold to 100.
    /// </summary>
    /// <param name="mask">The kinds an access counted toward, bit <c>i</c> for <c>Kinds[i]</c>.</param>
    /// <param name="kind">The index of the kind in <see cref="Kinds"/>.</param>
    /// <returns>The kinds it was combined with, for <see cref="LowestThreshold"/>; zero for none.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not an index of <see cref="Kinds"/>.</exception>
    public ulong CombinedWith(ulong mask, int kind)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kind);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(kind, _categories.Length);
        return mask & ~_categories[kind];
    }

    /// <summary>
    /// Gets the lowest threshold among kinds given as a mask of <see cref="KindMaskOf"/>: what combined data must meet
    /// (28 CFR 202.205(g)). Kinds counted at any amount (threshold zero, such as government-related data) take no part:
    /// the rule combines only the categories of 28 CFR 202.205(a) to (f), so a health record read beside government
    /// personnel data is still judged at 10,000 persons, not at one.
    /// </summary>
    /// <param name="mask">The kinds, bit <c>i</c> for <c>Kinds[i]</c>.</param>
    /// <returns>The lowest threshold above zero; <see cref="long.MaxValue"/> for no such kind.</returns>
    public long LowestThreshold(ulong mask)
    {
        var lowest = long.MaxValue;
        for (; mask != 0; mask &= mask - 1)
        {
            var threshold = Kinds[System.Numerics.BitOperations.TrailingZeroCount(mask)].Threshold;
            if (threshold > 0)
            {
                lowest = Math.Min(lowest, threshold);
            }
        }

        return lowest;
    }

    // The threshold a kind's figure is judged against when its data came combined with other kinds (a mask of
    // CombinedWith): its own, or the lowest of those kinds when lower (28 CFR 202.205(g)). The monitor's alerts and the
    // report's rows both take it from here, so that they judge the same window against the same number.
    internal long ThresholdOf(int kind, ulong combinedWith) => Math.Min(Kinds[kind].Threshold, LowestThreshold(combinedWith));

    private static ReadOnlyCollection<SensitiveDataKind> KindsOf(List<SensitiveDataKind> kinds, ulong mask)
    {
        var result = new List<SensitiveDataKind>();
        for (; mask != 0; mask &= mask - 1)
        {
            result.Add(kinds[System.Numerics.BitOperations.TrailingZeroCount(mask)]);
        }

        return result.AsReadOnly();
    }
}
