namespace DataAccessAudit.Regions;

/// <summary>
/// A named set of regions under one body of law, such as the United States with its
/// territories or the European Economic Area.
/// </summary>
/// <remarks>
/// A policy uses jurisdictions to decide where data is at home (data about people in Puerto
/// Rico is at home anywhere in <see cref="UnitedStates"/>) and to name groups of requester
/// regions that deserve attention (<see cref="CountriesOfConcern"/>). Membership is a bit test,
/// so evaluating a policy costs no allocation and no hashing.
/// </remarks>
public sealed class Jurisdiction
{
    private readonly ulong[] _members = new ulong[(Region.IndexCount + 63) / 64];

    /// <summary>Creates a jurisdiction.</summary>
    /// <param name="name">The name policies and reports use, such as <c>US</c> or <c>EEA</c>.</param>
    /// <param name="regions">The regions it contains; duplicates are ignored. <see cref="Region.Unknown"/> is not allowed.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <paramref name="regions"/> is empty or holds <see cref="Region.Unknown"/>.</exception>
    public Jurisdiction(string name, IEnumerable<Region> regions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(regions);
        Name = name;
        var list = new List<Region>();
        foreach (var region in regions)
        {
            if (region.IsUnknown)
            {
                throw new ArgumentException(
                    $"Jurisdiction '{name}' cannot contain the unknown region ZZ: a jurisdiction names where regions are, and ZZ is nowhere.",
                    nameof(regions));
            }

            if (!Contains(region))
            {
                _members[region.Index >> 6] |= 1UL << (region.Index & 63);
                list.Add(region);
            }
        }

        if (list.Count == 0)
        {
            throw new ArgumentException($"Jurisdiction '{name}' must contain at least one region.", nameof(regions));
        }

        list.Sort();
        Regions = list.AsReadOnly();
    }

    /// <summary>Gets the name, such as <c>US</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the regions, sorted by code.</summary>
    public IReadOnlyList<Region> Regions { get; }

    /// <summary>
    /// Gets the United States, named <c>US</c>: the states and the territories PR, GU, VI, AS, MP and UM.
    /// </summary>
    public static Jurisdiction UnitedStates { get; } = new("US", Parse("US PR GU VI AS MP UM"));

    /// <summary>
    /// Gets the European Economic Area, named <c>EEA</c>: the 27 member states of the European Union plus Iceland, Liechtenstein and Norway.
    /// </summary>
    public static Jurisdiction EuropeanEconomicArea { get; } = new(
        "EEA",
        Parse("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO"));

    /// <summary>
    /// Gets the countries of concern of the US rule on bulk sensitive personal data (28 CFR 202.601(a), in force since
    /// 8 April 2025), named <c>countries-of-concern</c>: CN, HK, MO, RU, IR, KP, CU and VE (China with Hong Kong and
    /// Macau, 28 CFR 202.208).
    /// </summary>
    public static Jurisdiction CountriesOfConcern { get; } = new("countries-of-concern", Parse("CN HK MO RU IR KP CU VE"));

    /// <summary>Tells whether a region belongs to this jurisdiction. <see cref="Region.Unknown"/> never does.</summary>
    /// <param name="region">The region.</param>
    /// <returns>True when the region is a member.</returns>
    public bool Contains(Region region) => (_members[region.Index >> 6] & (1UL << (region.Index & 63))) != 0;

    /// <summary>Returns the name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    private static IEnumerable<Region> Parse(string codes) => codes.Split(' ').Select(Region.Parse);
}
