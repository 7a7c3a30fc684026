using DataAccessAudit.BulkData;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Policy;

/// <summary>
/// A data-residency policy: a taxonomy of data categories, the jurisdictions that are home to data,
/// the countries of concern, and a mode. It evaluates one access at a time.
/// </summary>
/// <remarks>
/// <para>
/// A policy is data: <see cref="ProjectTexas"/> is one configuration of the same evaluator that runs every
/// policy, and can be read and validated from JSON or configuration.
/// </para>
/// <para>
/// The rules, as the <c>project-texas</c> preset defines them: an access crosses a border when the requester's
/// region is unknown or lies outside the home jurisdiction of the data (the first home jurisdiction that contains
/// the data's region, otherwise that region alone). A category whose rule is <see cref="CrossBorderRule.RequiresApproval"/>
/// is <em>protected</em>: crossing without a valid approval, being read from a country of concern, and being served
/// from outside home are findings. An unknown requester region is a finding for every category. A category the
/// taxonomy does not define is treated as protected and also gets <see cref="Finding.UnknownDataCategory"/>, so that a
/// misspelt category fails closed. An approval is used only for protected data that crosses a border: only then is
/// the outcome <see cref="AccessOutcome.Approved"/>; public or interoperability data that crosses with an approval is
/// <see cref="AccessOutcome.Allowed"/>.
/// </para>
/// <para>
/// <see cref="Evaluate"/> is pure, thread-safe and allocation-free: membership and home jurisdictions are precomputed
/// into tables indexed by region.
/// </para>
/// </remarks>
public sealed class AccessPolicy
{
    private const int UnknownHome = -1;

    // For each region index, the ordinal of its home jurisdiction, or (jurisdiction count + region index) when
    // the region is its own home; Unknown has no home.
    private readonly int[] _homeOf;

    // The home jurisdictions by ordinal, for the membership test of the hot path (no interface call).
    private readonly Jurisdiction[] _homes;

    /// <summary>Creates a policy.</summary>
    /// <param name="name">The policy's name, such as <c>project-texas</c>.</param>
    /// <param name="version">The policy's version, such as <c>1</c>.</param>
    /// <param name="taxonomy">The data categories and what crossing a border means for each.</param>
    /// <param name="homeJurisdictions">The jurisdictions that are home to data, in order: a region's home is the first that contains it.</param>
    /// <param name="countriesOfConcern">The regions from which reading protected data is always reported; null for none.</param>
    /// <param name="mode">Whether the policy only reports or also refuses.</param>
    /// <exception cref="ArgumentException">
    /// A name or version is empty or holds U+0000 or an unpaired surrogate (see <see cref="AccessEvent"/>), or two home
    /// jurisdictions share a name.
    /// </exception>
    public AccessPolicy(
        string name,
        string version,
        Taxonomy taxonomy,
        IEnumerable<Jurisdiction> homeJurisdictions,
        Jurisdiction? countriesOfConcern,
        PolicyMode mode = PolicyMode.Audit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);

        // Every decision carries the policy's name and version into the log and the shared store.
        EventText.Check(name, nameof(name), "The policy name");
        EventText.Check(version, nameof(version), "The policy version");
        ArgumentNullException.ThrowIfNull(taxonomy);
        ArgumentNullException.ThrowIfNull(homeJurisdictions);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected audit or enforce.");
        }

        var homes = homeJurisdictions.ToList().AsReadOnly();
        var duplicate = homes.GroupBy(j => j.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Policy '{name}' names the home jurisdiction '{duplicate.Key}' twice.", nameof(homeJurisdictions));
        }

        Name = name;
        Version = version;
        Id = $"{name}/{version}";
        Taxonomy = taxonomy;
        HomeJurisdictions = homes;
        CountriesOfConcern = countriesOfConcern;
        Mode = mode;
        _homeOf = BuildHomeTable(homes);
        _homes = [.. homes];
    }

    private AccessPolicy(AccessPolicy source, PolicyMode mode, BulkDataPolicy? bulkData)
    {
        BulkData = bulkData;
        Name = source.Name;
        Version = source.Version;
        Id = source.Id;
        Taxonomy = source.Taxonomy;
        HomeJurisdictions = source.HomeJurisdictions;
        CountriesOfConcern = source.CountriesOfConcern;
        Mode = mode;
        _homeOf = source._homeOf;
        _homes = source._homes;
    }

    /// <summary>
    /// Gets the <c>project-texas/1</c> preset in audit mode: the Project Texas taxonomy, <c>US</c> and <c>EEA</c> as home
    /// jurisdictions, and the 2024 US countries of concern.
    /// </summary>
    public static AccessPolicy ProjectTexas { get; } = new(
        "project-texas",
        "1",
        Taxonomy.ProjectTexas,
        [Jurisdiction.UnitedStates, Jurisdiction.EuropeanEconomicArea],
        Jurisdiction.CountriesOfConcern);

    /// <summary>Gets the name.</summary>
    public string Name { get; }

    /// <summary>Gets the version.</summary>
    public string Version { get; }

    /// <summary>Gets <c>name/version</c>, as decisions and reports name the policy.</summary>
    public string Id { get; }

    /// <summary>Gets the taxonomy.</summary>
    public Taxonomy Taxonomy { get; }

    /// <summary>Gets the home jurisdictions, in the order they are tried.</summary>
    public IReadOnlyList<Jurisdiction> HomeJurisdictions { get; }

    /// <summary>Gets the countries of concern, if any.</summary>
    public Jurisdiction? CountriesOfConcern { get; }

    /// <summary>Gets the mode.</summary>
    public PolicyMode Mode { get; }

    /// <summary>
    /// Gets the bulk-data thresholds (US 28 CFR 202) that reports and the bulk-data monitor apply, or null when the policy
    /// has none (the <see cref="ProjectTexas"/> preset has none; see <see cref="WithBulkData"/>).
    /// </summary>
    public BulkDataPolicy? BulkData { get; }

    /// <summary>Returns the same policy with other bulk-data thresholds.</summary>
    /// <param name="bulkData">The thresholds, such as <see cref="BulkDataPolicy.DataSecurityProgram"/>; null for none.</param>
    /// <returns>A copy with <paramref name="bulkData"/>.</returns>
    public AccessPolicy WithBulkData(BulkDataPolicy? bulkData) =>
        ReferenceEquals(bulkData, BulkData) ? this : new AccessPolicy(this, Mode, bulkData);

    /// <summary>Returns the same policy in another mode.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>This policy if the mode is the same, otherwise a copy in <paramref name="mode"/>.</returns>
    public AccessPolicy WithMode(PolicyMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected audit or enforce.");
        }

        return mode == Mode ? this : new AccessPolicy(this, mode, BulkData);
    }

    /// <summary>Tells whether an access by a requester in one region to data at home in another crosses a border.</summary>
    /// <param name="requesterRegion">Where the requester was.</param>
    /// <param name="dataRegion">The home region of the data.</param>
    /// <returns>True when the requester is outside the data's home jurisdiction, or either region is unknown.</returns>
    public bool IsCrossBorder(Region requesterRegion, Region dataRegion) =>
        requesterRegion.IsUnknown || IsOutsideHome(dataRegion, requesterRegion);

    /// <summary>Gets the home jurisdiction of a region: the first home jurisdiction that contains it.</summary>
    /// <param name="region">The region.</param>
    /// <returns>The jurisdiction, or null when the region is its own home (or unknown).</returns>
    public Jurisdiction? HomeJurisdictionOf(Region region)
    {
        var home = _homeOf[region.Index];
        return home >= 0 && home < HomeJurisdictions.Count ? HomeJurisdictions[home] : null;
    }

    /// <summary>Tells whether protected data at home in <paramref name="dataRegion"/> stored in <paramref name="storedIn"/> is outside its home jurisdiction.</summary>
    /// <param name="dataRegion">The home region of the data.</param>
    /// <param name="storedIn">Where it was stored; unknown counts as outside.</param>
    /// <returns>True when stored outside home.</returns>
    public bool IsStoredOutsideHome(Region dataRegion, Region storedIn) => IsOutsideHome(dataRegion, storedIn);

    // Whether a region lies outside the home of data at home in dataRegion: outside the home jurisdiction's regions,
    // not merely in another region's home. The two differ when home jurisdictions overlap (IE in both a UK-and-Ireland
    // home listed first and the EEA): data at home in FR is at home in the EEA, which IE lies in, although IE's own
    // home is the other jurisdiction. Unknown counts as outside.
    private bool IsOutsideHome(Region dataRegion, Region region)
    {
        var home = _homeOf[dataRegion.Index];
        if (home == UnknownHome)
        {
            return true;
        }

        var homes = _homes;
        return home < homes.Length ? !homes[home].Contains(region) : _homeOf[region.Index] != home;
    }

    /// <summary>Evaluates one access.</summary>
    /// <param name="accessEvent">The access.</param>
    /// <returns>The decision.</returns>
    public AccessDecision Evaluate(AccessEvent accessEvent)
    {
        ArgumentNullException.ThrowIfNull(accessEvent);
        var resource = accessEvent.Resource;
        var approved = accessEvent.Approval is { } approval && approval.IsValidAt(accessEvent.Time);
        return EvaluateFields(accessEvent.Requester.Region, resource.Category, resource.Region, resource.StoredIn, approved);
    }

    // The rules, on the only fields they read: a reader that scans these fields from a line (the report's fast reader)
    // decides exactly as Evaluate without building the event. approved: the access carries an approval valid at its
    // time.
    internal AccessDecision EvaluateFields(Region requesterRegion, DataCategory category, Region dataRegion, Region? storedIn, bool approved)
    {
        var crossBorder = IsCrossBorder(requesterRegion, dataRegion);

        var findings = FindingSet.Empty;
        var isProtected = true;
        if (Taxonomy.TryGetRule(category, out var rule))
        {
            isProtected = rule == CrossBorderRule.RequiresApproval;
        }
        else
        {
            findings = findings.AddBuiltIn(Finding.UnknownDataCategory);
        }

        if (isProtected && crossBorder && !approved)
        {
            findings = findings.AddBuiltIn(Finding.CrossBorderProtectedAccess);
        }

        if (requesterRegion.IsUnknown)
        {
            findings = findings.AddBuiltIn(Finding.UnknownRequesterRegion);
        }

        if (isProtected && CountriesOfConcern is { } concern && concern.Contains(requesterRegion))
        {
            findings = findings.AddBuiltIn(Finding.CountryOfConcernAccess);
        }

        if (isProtected && storedIn is { } stored && IsStoredOutsideHome(dataRegion, stored))
        {
            findings = findings.AddBuiltIn(Finding.StoredOutsideHomeJurisdiction);
        }

        // A country-of-concern access under a valid approval is reported but does not by itself flag or deny.
        var blocking = approved
            ? findings.ContainsOtherThan(Finding.CountryOfConcernAccess)
            : !findings.IsEmpty;

        // An approval is used only where it is needed: protected data crossing a border. Public or
        // interoperability data crossing with an approval attached is simply allowed.
        var outcome = blocking
            ? (Mode == PolicyMode.Enforce && isProtected ? AccessOutcome.Denied : AccessOutcome.Flagged)
            : (isProtected && crossBorder && approved ? AccessOutcome.Approved : AccessOutcome.Allowed);

        return new AccessDecision(outcome, crossBorder, findings, Id);
    }

    /// <summary>Returns <c>name/version</c> and the mode.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Id} ({Mode})";

    private static int[] BuildHomeTable(System.Collections.ObjectModel.ReadOnlyCollection<Jurisdiction> homes)
    {
        var table = new int[Region.IndexCount];
        table[0] = UnknownHome;
        for (var index = 1; index < table.Length; index++)
        {
            var region = Region.FromIndex(index);
            var home = homes.Count + index;
            for (var j = 0; j < homes.Count; j++)
            {
                if (homes[j].Contains(region))
                {
                    home = j;
                    break;
                }
            }

            table[index] = home;
        }

        return table;
    }
}
