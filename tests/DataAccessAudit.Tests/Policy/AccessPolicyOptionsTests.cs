using DataAccessAudit.Classification;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Tests.Policy;

public sealed class AccessPolicyOptionsTests
{
    // A small valid policy; each test breaks one thing.
    private static AccessPolicyOptions Valid() => new()
    {
        Name = "acme",
        Version = "3",
        Mode = "enforce",
        Taxonomy = new TaxonomyOptions
        {
            Name = "acme-data",
            Categories =
            [
                new DataCategoryOptions { Name = "health", CrossBorder = "requires-approval" },
                new DataCategoryOptions { Name = "catalogue", CrossBorder = "allowed" },
            ],
        },
        Jurisdictions =
        [
            new JurisdictionOptions { Name = "US", Regions = ["US", "pr"] },
            new JurisdictionOptions { Name = "UK", Regions = ["GB", "GG", "JE", "IM"] },
            new JurisdictionOptions { Name = "watched", Regions = ["CN", "RU"] },
        ],
        HomeJurisdictions = ["US", "UK"],
        CountriesOfConcern = "watched",
    };

    [Fact]
    public void ToPolicy_ValidOptions_CompilesEveryPart()
    {
        var options = Valid();

        Assert.Empty(options.Validate());
        var policy = options.ToPolicy();

        Assert.Equal("acme/3", policy.Id);
        Assert.Equal(PolicyMode.Enforce, policy.Mode);
        Assert.Equal("acme-data", policy.Taxonomy.Name);
        Assert.True(policy.Taxonomy.TryGetRule(new DataCategory("health"), out var health));
        Assert.Equal(CrossBorderRule.RequiresApproval, health);
        Assert.True(policy.Taxonomy.TryGetRule(new DataCategory("catalogue"), out var catalogue));
        Assert.Equal(CrossBorderRule.Allowed, catalogue);
        Assert.Equal(["US", "UK"], policy.HomeJurisdictions.Select(j => j.Name));
        Assert.Equal(["PR", "US"], policy.HomeJurisdictions[0].Regions.Select(r => r.Code));
        Assert.Equal("watched", policy.CountriesOfConcern?.Name);
        Assert.False(policy.IsCrossBorder(Region.Parse("JE"), Region.Parse("GB")));
        Assert.Equal(AccessOutcome.Denied, policy.Evaluate(Accesses.Of("RU", "GB", new DataCategory("health"))).Outcome);
    }

    [Theory]
    [InlineData(null, PolicyMode.Audit)]
    [InlineData("audit", PolicyMode.Audit)]
    [InlineData("Audit", PolicyMode.Audit)]
    [InlineData("ENFORCE", PolicyMode.Enforce)]
    public void ToPolicy_ModeInAnyCaseOrAbsent_GivesThatModeOrAudit(string? mode, PolicyMode expected)
    {
        var options = Valid();
        options.Mode = mode;

        Assert.Equal(expected, options.ToPolicy().Mode);
    }

    [Fact]
    public void ToPolicy_NoHomeNorCountriesOfConcern_MakesEveryRegionItsOwnHome()
    {
        var options = Valid();
        options.HomeJurisdictions = [];
        options.CountriesOfConcern = null;

        var policy = options.ToPolicy();

        Assert.Empty(policy.HomeJurisdictions);
        Assert.Null(policy.CountriesOfConcern);
        Assert.True(policy.IsCrossBorder(Region.Parse("PR"), Region.Parse("US")));
    }

    public static TheoryData<string, string> InvalidCases() => new()
    {
        { "missing name", "name: missing; expected the policy's name" },
        { "missing version", "version: missing; expected the policy's version" },
        { "bad mode", "mode: \"strict\" is not a policy mode; expected \"audit\" or \"enforce\"" },
        { "missing taxonomy", "taxonomy: missing; expected a name and the categories" },
        { "missing taxonomy name", "taxonomy.name: missing" },
        { "no categories", "taxonomy.categories: empty; a taxonomy must name at least one category" },
        { "null category", "taxonomy.categories[1]: missing; expected a name and a cross-border rule" },
        { "category without name", "taxonomy.categories[1].name: missing; expected a category name" },
        { "duplicate category", "taxonomy.categories[2].name: \"health\" is already defined by taxonomy.categories[0]; each category is defined once" },
        { "missing rule", "taxonomy.categories[1].crossBorder: missing; expected \"requires-approval\" or \"allowed\"" },
        { "unknown rule", "taxonomy.categories[0].crossBorder: \"sometimes\" is not a cross-border rule; expected \"requires-approval\" or \"allowed\"" },
        { "invalid region", "jurisdictions[1].regions[3]: 'UK' is not an ISO 3166-1 alpha-2 code; expected one of the 249 assigned two-letter codes, such as US, GB or CN" },
        { "three-letter region", "jurisdictions[0].regions[0]: 'USA' is not an ISO 3166-1 alpha-2 code" },
        { "null region", "jurisdictions[0].regions[1]: missing (null); expected an ISO 3166-1 alpha-2 code" },
        { "empty region", "jurisdictions[0].regions[0]: '' is not an ISO 3166-1 alpha-2 code" },
        { "unknown region", "jurisdictions[2].regions[1]: 'ZZ' is the unknown region" },
        { "empty jurisdiction", "jurisdictions[2].regions: empty; jurisdiction \"watched\" must contain at least one region" },
        { "jurisdiction without name", "jurisdictions[1].name: missing" },
        { "null jurisdiction", "jurisdictions[1]: missing; expected a name and regions" },
        { "duplicate jurisdiction", "jurisdictions[2].name: \"US\" is already defined by jurisdictions[0]; each jurisdiction is defined once" },
        { "home names nothing", "homeJurisdictions[1]: \"EU\" names no jurisdiction; expected one of \"US\", \"UK\", \"watched\"" },
        { "home listed twice", "homeJurisdictions[1]: \"US\" is already listed at homeJurisdictions[0]" },
        { "countries of concern name nothing", "countriesOfConcern: \"coc\" names no jurisdiction; expected one of \"US\", \"UK\", \"watched\", or null for none" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Validate_OneInvalidEntry_ReportsExactlyThatEntry(string @case, string expected)
    {
        var options = Valid();
        Break(options, @case);

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);

        var exception = Assert.Throws<InvalidPolicyException>(options.ToPolicy);
        Assert.Equal(problem, Assert.Single(exception.Problems));
        Assert.Contains(problem, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyInvalidEntries_ReportsEveryOneInDocumentOrder()
    {
        var options = Valid();
        options.Mode = "strict";
        options.Taxonomy!.Categories.Add(new DataCategoryOptions { Name = "health", CrossBorder = "allowed" });
        options.Jurisdictions[1].Regions = ["GB", "UK", "XX", "JE"];
        options.HomeJurisdictions = ["US", "EU"];
        options.CountriesOfConcern = "coc";

        var problems = options.Validate();

        Assert.Collection(
            problems,
            p => Assert.StartsWith("mode: \"strict\"", p, StringComparison.Ordinal),
            p => Assert.StartsWith("taxonomy.categories[2].name: \"health\" is already defined", p, StringComparison.Ordinal),
            p => Assert.StartsWith("jurisdictions[1].regions[1]: 'UK'", p, StringComparison.Ordinal),
            p => Assert.StartsWith("jurisdictions[1].regions[2]: 'XX'", p, StringComparison.Ordinal),
            p => Assert.StartsWith("homeJurisdictions[1]: \"EU\" names no jurisdiction", p, StringComparison.Ordinal),
            p => Assert.StartsWith("countriesOfConcern: \"coc\" names no jurisdiction", p, StringComparison.Ordinal));
        var exception = Assert.Throws<InvalidPolicyException>(options.ToPolicy);
        Assert.Equal(problems, exception.Problems);
        Assert.Contains("(6 problems)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReferenceToAnInvalidJurisdiction_IsReportedOnlyAtTheJurisdiction()
    {
        var options = Valid();
        options.Jurisdictions[1].Regions = ["UK"];

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("jurisdictions[1].regions[0]: 'UK'", problem, StringComparison.Ordinal);
    }

    // A policy file's values land in terminals and logs through these messages: a control character is shown, not
    // obeyed, and a huge value is cut.
    [Fact]
    public void Validate_ValuesWithControlCharactersOrVeryLong_AreQuotedEscapedAndCut()
    {
        var options = Valid();
        options.Jurisdictions[1].Regions = ["U\u001B[2JK"];
        options.Mode = "audit\nmode: enforce";
        options.HomeJurisdictions = ["US", new string('x', 1000)];

        var problems = options.Validate();

        Assert.Contains(problems, p => p.StartsWith("jurisdictions[1].regions[0]: 'U\\u001B[2JK' is not", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mode: \"audit\\u000Amode: enforce\" is not a policy mode", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"homeJurisdictions[1]: \"{new string('x', 40)}…\" names no jurisdiction", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains('\u001B', StringComparison.Ordinal) || p.Contains('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void FromPolicy_ProjectTexas_CompilesBackToAPolicyWithTheSameParts()
    {
        var options = AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce));

        var policy = options.ToPolicy();

        Assert.Equal("enforce", options.Mode);
        Assert.Equal(AccessPolicy.ProjectTexas.Id, policy.Id);
        Assert.Equal(PolicyMode.Enforce, policy.Mode);
        Assert.Equal(Taxonomy.ProjectTexas.Categories, policy.Taxonomy.Categories);
        Assert.Equal(["US", "EEA"], policy.HomeJurisdictions.Select(j => j.Name));
        Assert.Equal(Jurisdiction.EuropeanEconomicArea.Regions, policy.HomeJurisdictions[1].Regions);
        Assert.Equal(Jurisdiction.CountriesOfConcern.Regions, policy.CountriesOfConcern!.Regions);
    }

    [Fact]
    public void FromPolicy_TwoJurisdictionsWithOneName_ThrowsNamingIt()
    {
        var policy = new AccessPolicy("p", "1", Taxonomy.ProjectTexas, [Jurisdiction.UnitedStates], new Jurisdiction("US", [Region.Parse("CN")]));

        var exception = Assert.Throws<ArgumentException>(() => AccessPolicyOptions.FromPolicy(policy));

        Assert.Contains("'US'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPolicy_CountriesOfConcernAlsoAHome_WritesItOnce()
    {
        var policy = new AccessPolicy("p", "1", Taxonomy.ProjectTexas, [Jurisdiction.UnitedStates], Jurisdiction.UnitedStates);

        var options = AccessPolicyOptions.FromPolicy(policy);

        Assert.Single(options.Jurisdictions);
        Assert.Equal("US", options.CountriesOfConcern);
        Assert.Empty(options.Validate());
    }

    private static void Break(AccessPolicyOptions o, string @case)
    {
        switch (@case)
        {
            case "missing name": o.Name = " "; break;
            case "missing version": o.Version = null; break;
            case "bad mode": o.Mode = "strict"; break;
            case "missing taxonomy": o.Taxonomy = null; break;
            case "missing taxonomy name": o.Taxonomy!.Name = null; break;
            case "no categories": o.Taxonomy!.Categories = []; break;
            case "null category": o.Taxonomy!.Categories[1] = null!; break;
            case "category without name": o.Taxonomy!.Categories[1].Name = ""; break;
            case "duplicate category": o.Taxonomy!.Categories.Add(new DataCategoryOptions { Name = "health", CrossBorder = "allowed" }); break;
            case "missing rule": o.Taxonomy!.Categories[1].CrossBorder = null; break;
            case "unknown rule": o.Taxonomy!.Categories[0].CrossBorder = "sometimes"; break;
            case "invalid region": o.Jurisdictions[1].Regions = ["GB", "GG", "JE", "UK"]; break;
            case "three-letter region": o.Jurisdictions[0].Regions = ["USA", "PR"]; break;
            case "null region": o.Jurisdictions[0].Regions = ["US", null!]; break;
            case "empty region": o.Jurisdictions[0].Regions = [string.Empty, "US"]; break;
            case "unknown region": o.Jurisdictions[2].Regions = ["CN", "ZZ"]; break;
            case "empty jurisdiction": o.Jurisdictions[2].Regions = []; break;
            case "jurisdiction without name": o.Jurisdictions[1].Name = null; o.HomeJurisdictions = ["US"]; break;
            case "null jurisdiction": o.Jurisdictions[1] = null!; o.HomeJurisdictions = ["US"]; break;
            case "duplicate jurisdiction": o.Jurisdictions[2].Name = "US"; o.CountriesOfConcern = null; break;
            case "home names nothing": o.HomeJurisdictions = ["US", "EU"]; break;
            case "home listed twice": o.HomeJurisdictions = ["US", "US"]; break;
            case "countries of concern name nothing": o.CountriesOfConcern = "coc"; break;
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, "no such case");
        }
    }
}
