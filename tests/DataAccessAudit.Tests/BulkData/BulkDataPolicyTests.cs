using DataAccessAudit.BulkData;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Tests.BulkData;

public sealed class BulkDataPolicyTests
{
    private static readonly string PresetFile = TestData.Path("policies", "project-texas-bulk-data.json");
    private static readonly Region Us = Region.Parse("US");
    private static readonly Region China = Region.Parse("CN");
    private static readonly Region Singapore = Region.Parse("SG");

    [Fact]
    public void PresetFile_DescribesExactlyProjectTexasWithTheDataSecurityProgram()
    {
        var fromFile = AccessPolicyJson.ReadOptions(File.ReadAllText(PresetFile));

        Assert.Equal(
            AccessPolicyJson.Format(AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas.WithBulkData(BulkDataPolicy.DataSecurityProgram))),
            AccessPolicyJson.Format(fromFile));
    }

    [Fact]
    public void DataSecurityProgram_HasTheThresholdsOf28Cfr202205()
    {
        var thresholds = BulkDataPolicy.DataSecurityProgram.Kinds.ToDictionary(k => k.Name, k => k.Threshold);

        Assert.Equal(100, thresholds["human-genomic"]);
        Assert.Equal(1_000, thresholds["human-omic"]);
        Assert.Equal(1_000, thresholds["biometric-identifiers"]);
        Assert.Equal(1_000, thresholds["precise-geolocation"]);
        Assert.Equal(10_000, thresholds["personal-health"]);
        Assert.Equal(10_000, thresholds["personal-financial"]);
        Assert.Equal(100_000, thresholds["covered-personal-identifiers"]);
        Assert.Equal(0, thresholds["government-related"]);
        Assert.Equal(BulkCountUnit.Devices, SensitiveDataKind.PreciseGeolocation.Unit);
        Assert.Equal("human-omic", SensitiveDataKind.HumanGenomic.PartOf);
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(101, true)]
    public void IsCrossedBy_MoreThanTheThreshold_IsTheRulesWording(long count, bool crossed)
    {
        Assert.Equal(crossed, SensitiveDataKind.HumanGenomic.IsCrossedBy(count));
    }

    [Fact]
    public void LowestThreshold_IdentifiersWithGovernmentRelatedData_IsTheIdentifiersThreshold()
    {
        // 28 CFR 202.205(g) combines the categories of (a) to (f); government-related data (28 CFR 202.222) is none of
        // them, so it lowers no other kind's threshold to "any amount".
        var policy = BulkDataPolicy.DataSecurityProgram;

        Assert.Equal(100_000, policy.LowestThreshold(policy.KindMaskOf("government-personnel")));
        Assert.Equal(10_000, policy.LowestThreshold(policy.KindMaskOf("health-record")));
        Assert.Equal(long.MaxValue, policy.LowestThreshold(policy.KindMaskOf("government-personnel") & ~policy.KindMaskOf("contact-info")));
    }

    [Fact]
    public void KindMaskOf_AGenome_CountsTowardGenomicAndOmicDataAsOneCategory()
    {
        // Human genomic data is human 'omic data (28 CFR 202.224(a)(1)): a genome counts toward both thresholds of
        // 28 CFR 202.205(a), and, being one category, is not combined data that would lower the 'omic one to 100.
        var policy = BulkDataPolicy.DataSecurityProgram;
        var genomic = IndexOf(policy, "human-genomic");
        var omic = IndexOf(policy, "human-omic");

        var mask = policy.KindMaskOf("genome");

        Assert.Equal((1UL << genomic) | (1UL << omic), mask);
        Assert.Equal(0UL, policy.CombinedWith(mask, genomic));
        Assert.Equal(0UL, policy.CombinedWith(mask, omic));
        Assert.Equal(1UL << omic, policy.KindMaskOf("omic-profile"));
        Assert.Equal(["human-genomic"], policy.KindsOf("genome").Select(k => k.Name));
    }

    [Fact]
    public void CombinedWith_AHealthRecord_IsTheOtherCategory()
    {
        var policy = BulkDataPolicy.DataSecurityProgram;
        var mask = policy.KindMaskOf("health-record");

        Assert.Equal(1UL << IndexOf(policy, "covered-personal-identifiers"), policy.CombinedWith(mask, IndexOf(policy, "personal-health")));
        Assert.Equal(10_000, policy.LowestThreshold(policy.CombinedWith(mask, IndexOf(policy, "covered-personal-identifiers"))));
    }

    [Fact]
    public void Constructor_AKindPartOfAnUnknownKindOrOfItself_Throws()
    {
        Assert.Throws<ArgumentException>(() => Policy(new SensitiveDataKind("a", 1) { PartOf = "b" }));
        Assert.Throws<ArgumentException>(() => Policy(new SensitiveDataKind("a", 1) { PartOf = "b" }, new SensitiveDataKind("b", 1) { PartOf = "a" }));
        Assert.Throws<ArgumentException>(() => new SensitiveDataKind("a", 1) { PartOf = " " });
    }

    [Fact]
    public void Parse_PartOfNamingNoKindOrItself_ReportsEveryProblemByPath()
    {
        var options = AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas);
        options.BulkData = new BulkDataOptions
        {
            Name = "mine",
            DataJurisdiction = "US",
            Kinds =
            [
                new SensitiveDataKindOptions { Name = "a", Threshold = 1, PartOf = "z" },
                new SensitiveDataKindOptions { Name = "b", Threshold = 1, PartOf = "c" },
                new SensitiveDataKindOptions { Name = "c", Threshold = 1, PartOf = "b" },
                new SensitiveDataKindOptions { Name = "d", Threshold = 1, PartOf = "" },
            ],
        };

        var problems = options.Validate();

        Assert.Equal(
            [
                "bulkData.kinds[3].partOf: empty; expected the name of a broader kind, such as \"human-omic\", or the field left out",
                "bulkData.kinds[0].partOf: \"z\" names no kind; expected one of \"a\", \"b\", \"c\", \"d\"",
                "bulkData.kinds[1].partOf: \"c\" makes \"b\" part of itself; a kind is part of a broader one, never of itself",
                "bulkData.kinds[2].partOf: \"b\" makes \"c\" part of itself; a kind is part of a broader one, never of itself",
            ],
            problems);
    }

    [Fact]
    public void IsCrossedBy_GovernmentRelatedData_AtAnyAmount()
    {
        Assert.False(SensitiveDataKind.GovernmentRelated.IsCrossedBy(0));
        Assert.True(SensitiveDataKind.GovernmentRelated.IsCrossedBy(1));
    }

    [Fact]
    public void KindsOf_PrivateMessages_IsNone()
    {
        // Personal communications are not sensitive personal data (28 CFR 202.249(b)(3)).
        Assert.Empty(BulkDataPolicy.DataSecurityProgram.KindsOf("direct-message"));
        Assert.Empty(BulkDataPolicy.DataSecurityProgram.KindsOf(null));
    }

    [Fact]
    public void KindsOf_AHealthRecord_IsHealthDataAndIdentifiers()
    {
        Assert.Equal(["personal-health", "covered-personal-identifiers"], BulkDataPolicy.DataSecurityProgram.KindsOf("health-record").Select(k => k.Name));
    }

    [Fact]
    public void TryGetCounterparty_RequesterInACountryOfConcern_IsTheRequester()
    {
        Assert.True(BulkDataPolicy.DataSecurityProgram.TryGetCounterparty("emp-1", China, "Some Vendor", Us, out var counterparty));

        Assert.Equal(new BulkCounterparty("emp-1", IsOrganization: false), counterparty);
    }

    [Fact]
    public void TryGetCounterparty_EmployeeOfACoveredOrganizationAnywhere_IsTheOrganizationAsListed()
    {
        var policy = BulkDataPolicy.DataSecurityProgram.WithCoveredOrganizations(["ByteDance"]);

        Assert.True(policy.TryGetCounterparty("emp-2", Singapore, "bytedance", Us, out var abroad));
        Assert.True(policy.TryGetCounterparty("emp-3", China, "ByteDance", Us, out var inChina));

        Assert.Equal(new BulkCounterparty("ByteDance", IsOrganization: true), abroad);
        Assert.Equal(abroad, inChina);
    }

    [Fact]
    public void TryGetCounterparty_DataOfPeopleOutsideTheDataJurisdiction_DoesNotCount()
    {
        Assert.False(BulkDataPolicy.DataSecurityProgram.TryGetCounterparty("emp-1", China, null, Region.Parse("DE"), out _));
    }

    [Fact]
    public void TryGetCounterparty_RequesterElsewhereAndNotCovered_DoesNotCount()
    {
        Assert.False(BulkDataPolicy.DataSecurityProgram.TryGetCounterparty("emp-1", Singapore, "ByteDance", Us, out _));
        Assert.False(BulkDataPolicy.DataSecurityProgram.TryGetCounterparty("emp-1", Region.Unknown, null, Us, out _));
    }

    [Fact]
    public void Parse_BulkDataWithMistakes_ReportsEveryProblemByPath()
    {
        var json = File.ReadAllText(PresetFile)
            .Replace("\"threshold\": 100 }", "\"threshold\": -1 }", StringComparison.Ordinal)
            .Replace("\"unit\": \"devices\"", "\"unit\": \"phones\"", StringComparison.Ordinal)
            .Replace("\"kinds\": [\"human-genomic\"]", "\"kinds\": [\"human-genome\"]", StringComparison.Ordinal)
            .Replace("\"dataJurisdiction\": \"US\"", "\"dataJurisdiction\": \"USA\"", StringComparison.Ordinal);

        var exception = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.Parse(json));

        Assert.Contains(exception.Problems, p => p.StartsWith("bulkData.kinds[0].threshold: -1 is negative", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("bulkData.kinds[3].unit: \"phones\" is not a unit", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("bulkData.resourceTypes[5].kinds[0]: \"human-genome\" names no kind", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("bulkData.dataJurisdiction: \"USA\" names no jurisdiction", StringComparison.Ordinal));
        Assert.Equal(4, exception.Problems.Count);
    }

    [Fact]
    public void Parse_BulkDataWithoutThresholdsOrKinds_SaysWhatIsExpected()
    {
        var options = AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas);
        options.BulkData = new BulkDataOptions { Name = "mine", DataJurisdiction = "US", Kinds = [new SensitiveDataKindOptions { Name = "x" }] };

        var problems = options.Validate();

        Assert.Equal(["bulkData.kinds[0].threshold: missing; expected the largest number of persons that is not bulk, such as 10000 (0 for any amount)"], problems);
    }

    [Fact]
    public void Parse_PresetFile_CompilesTheBulkData()
    {
        var policy = AccessPolicyJson.Load(PresetFile);

        Assert.NotNull(policy.BulkData);
        Assert.Equal("us-data-security-program", policy.BulkData.Name);
        Assert.Same(policy.CountriesOfConcern, policy.BulkData.CountriesOfConcern);
        Assert.Equal(8, policy.BulkData.Kinds.Count);
        Assert.Equal(12, policy.BulkData.ResourceTypes.Count);
    }

    [Fact]
    public void WithMode_KeepsTheBulkData()
    {
        var policy = AccessPolicy.ProjectTexas.WithBulkData(BulkDataPolicy.DataSecurityProgram);

        Assert.Same(BulkDataPolicy.DataSecurityProgram, policy.WithMode(PolicyMode.Enforce).BulkData);
        Assert.Null(AccessPolicy.ProjectTexas.BulkData);
    }

    private static int IndexOf(BulkDataPolicy policy, string kind) => policy.Kinds.Select(k => k.Name).ToList().IndexOf(kind);

    private static BulkDataPolicy Policy(params SensitiveDataKind[] kinds) =>
        new("p", kinds, [], Jurisdiction.UnitedStates, Jurisdiction.CountriesOfConcern, []);
}
