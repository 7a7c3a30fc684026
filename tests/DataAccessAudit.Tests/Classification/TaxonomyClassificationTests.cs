using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.Tests.Classification;

public sealed class TaxonomyClassificationTests
{
    private static readonly Taxonomy Texas = Taxonomy.ProjectTexas;

    [Theory]
    [InlineData("protected")]
    [InlineData("public")]
    [InlineData("interoperability")]
    public void TryGetCategory_ProjectTexasClassification_GivesTheCategoryOfThatName(string value)
    {
        Assert.True(Texas.TryGetCategory(new DataClassification("project-texas", value), out var category));
        Assert.Equal(value, category.Name);
        Assert.Equal(new DataClassification("project-texas", value), Texas.GetClassification(category));
    }

    [Fact]
    public void ProjectTexasClassifications_Always_MapToThePresetCategories()
    {
        Assert.Equal(ProjectTexasClassifications.TaxonomyName, Texas.Name);
        Assert.True(Texas.TryGetCategory(ProjectTexasClassifications.Protected, out var p) && p == Taxonomy.Protected);
        Assert.True(Texas.TryGetCategory(ProjectTexasClassifications.Public, out var q) && q == Taxonomy.Public);
        Assert.True(Texas.TryGetCategory(ProjectTexasClassifications.Interoperability, out var i) && i == Taxonomy.Interoperability);
    }

    public static TheoryData<string, string> ForeignClassifications() => new()
    {
        { "other-taxonomy", "protected" },
        { "Project-Texas", "protected" },
        { "project-texas", "Protected" },
        { "project-texas", "secret" },
    };

    [Theory]
    [MemberData(nameof(ForeignClassifications))]
    public void TryGetCategory_ClassificationOfAnotherTaxonomyOrValue_IsFalse(string taxonomy, string value)
    {
        Assert.False(Texas.TryGetCategory(new DataClassification(taxonomy, value), out var category));
        Assert.Equal(default, category);
    }

    [Fact]
    public void TryGetCategory_NoneAndUnknown_AreFalse()
    {
        Assert.False(Texas.TryGetCategory(DataClassification.None, out _));
        Assert.False(Texas.TryGetCategory(DataClassification.Unknown, out _));
    }

    [Theory]
    [InlineData(nameof(UserRecord.Email), "protected")]
    [InlineData(nameof(UserRecord.Handle), "public")]
    [InlineData(nameof(UserRecord.DailyActiveUsers), "interoperability")]
    [InlineData(nameof(UserRecord.DirectMessages), "protected")]
    [InlineData(nameof(UserRecord.Inherited), "public")]
    public void TryGetCategory_ClassifiedProperty_GivesItsCategory(string property, string expected)
    {
        Assert.True(Texas.TryGetCategory<UserRecord>(property, out var category));
        Assert.Equal(expected, category.Name);
        Assert.True(Texas.TryGetCategory(typeof(UserRecord).GetProperty(property)!, out var viaMember));
        Assert.Equal(category, viaMember);
    }

    [Theory]
    [InlineData(nameof(UserRecord.Unclassified))]
    [InlineData(nameof(UserRecord.HealthOnly))]
    public void TryGetCategory_PropertyWithoutClassificationOfThisTaxonomy_IsFalse(string property) =>
        Assert.False(Texas.TryGetCategory<UserRecord>(property, out _));

    [Fact]
    public void TryGetCategory_PropertyClassifiedTwice_TheCategoryThatMustStayHomeWins()
    {
        Assert.True(Texas.TryGetCategory<UserRecord>(nameof(UserRecord.PublicAndProtected), out var category));
        Assert.Equal(Taxonomy.Protected, category);
    }

    [Fact]
    public void TryGetCategory_FieldAndParameter_AreClassifiedToo()
    {
        Assert.True(Texas.TryGetCategory(typeof(UserRecord).GetField(nameof(UserRecord.PreciseLocation))!, out var field));
        Assert.Equal(Taxonomy.Protected, field);
        var parameter = typeof(UserRecord).GetMethod(nameof(UserRecord.Send))!.GetParameters()[0];
        Assert.True(Texas.TryGetCategory(parameter, out var byParameter));
        Assert.Equal(Taxonomy.Protected, byParameter);
    }

    [Fact]
    public void TryGetCategory_UserTaxonomy_MapsItsOwnClassifications()
    {
        var health = new Taxonomy("acme", [new(new DataCategory("health"), CrossBorderRule.RequiresApproval)]);

        Assert.True(health.TryGetCategory<UserRecord>(nameof(UserRecord.HealthOnly), out var category));
        Assert.Equal("health", category.Name);
        Assert.False(health.TryGetCategory<UserRecord>(nameof(UserRecord.Email), out _));
    }

    [Fact]
    public void TryGetCategory_NoSuchProperty_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => Texas.TryGetCategory<UserRecord>("Phone", out _));

        Assert.Contains("'Phone'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetClassification_CategoryOutsideTaxonomy_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => Texas.GetClassification(new DataCategory("secret")));

        Assert.Contains("'secret'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_Always_CarryTheProjectTexasClassifications()
    {
        Assert.Equal(ProjectTexasClassifications.Protected, new ProtectedDataAttribute().Classification);
        Assert.Equal(ProjectTexasClassifications.Public, new PublicDataAttribute().Classification);
        Assert.Equal(ProjectTexasClassifications.Interoperability, new InteroperabilityDataAttribute().Classification);
    }

    // One classification drives both: the redactor registered for project-texas:protected erases the e-mail address
    // in logs, and the same attribute makes reading it a protected access for the policy.
    [Fact]
    public async Task Classification_OneAttribute_DrivesRedactionAndAudit()
    {
        await using var provider = new ServiceCollection()
            .AddRedaction(redaction => redaction
                .SetRedactor<ErasingRedactor>(new DataClassificationSet(ProjectTexasClassifications.Protected))
                .SetRedactor<NullRedactor>(new DataClassificationSet(ProjectTexasClassifications.Public)))
            .BuildServiceProvider();
        var redactors = provider.GetRequiredService<IRedactorProvider>();
        var property = typeof(UserRecord).GetProperty(nameof(UserRecord.Email))!;
        var classification = ((DataClassificationAttribute)Attribute.GetCustomAttribute(property, typeof(DataClassificationAttribute))!).Classification;

        var redacted = redactors.GetRedactor(classification).Redact("emp-4411@example.com");
        Assert.True(Texas.TryGetCategory(property, out var category));
        var decision = AccessPolicy.ProjectTexas.Evaluate(new AccessEvent(
            "e", Accesses.Time, new Requester("emp-4411", Region.Parse("CN")), new AccessedResource("user/8812/email", category, Region.Parse("US")), "read"));

        Assert.Equal(string.Empty, redacted);
        Assert.Equal("public-handle", redactors.GetRedactor(ProjectTexasClassifications.Public).Redact("public-handle"));
        Assert.Equal(Taxonomy.Protected, category);
        Assert.Equal(AccessOutcome.Flagged, decision.Outcome);
    }

    private sealed class AcmeHealthAttribute() : DataClassificationAttribute(new DataClassification("acme", "health"));

    private class RecordBase
    {
        [PublicData]
        public virtual string? Inherited { get; set; }
    }

    private sealed class UserRecord : RecordBase
    {
        [ProtectedData]
        public string? Email { get; set; }

        [PublicData]
        public string? Handle { get; set; }

        [InteroperabilityData]
        public long DailyActiveUsers { get; set; }

        [ProtectedData(Notes = "private messages")]
        public IReadOnlyList<string>? DirectMessages { get; set; }

        public string? Unclassified { get; set; }

        [AcmeHealth]
        public string? HealthOnly { get; set; }

        [PublicData]
        [ProtectedData]
        public string? PublicAndProtected { get; set; }

        public override string? Inherited { get; set; }

        [ProtectedData]
        public string? PreciseLocation = "40.7128,-74.0060";

        public static void Send([ProtectedData] string message) => _ = message;
    }
}
