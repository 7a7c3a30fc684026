using Microsoft.Extensions.Compliance.Classification;

namespace DataAccessAudit.Classification;

/// <summary>
/// The Project Texas categories as <see cref="DataClassification"/> values of <c>Microsoft.Extensions.Compliance</c>,
/// so that one classification of a property drives both the audit (its <see cref="DataCategory"/>) and redaction
/// (the redactor registered for the classification).
/// </summary>
/// <remarks>
/// The taxonomy name is <see cref="Taxonomy.ProjectTexas"/>'s name and each value a category name, which is all that
/// <see cref="Taxonomy.TryGetCategory(DataClassification, out DataCategory)"/> needs. Classify members with
/// <see cref="ProtectedDataAttribute"/>, <see cref="PublicDataAttribute"/> and <see cref="InteroperabilityDataAttribute"/>.
/// </remarks>
public static class ProjectTexasClassifications
{
    /// <summary>The taxonomy name of the classifications: <c>project-texas</c>.</summary>
    public const string TaxonomyName = "project-texas";

    /// <summary>Gets the classification of non-public data about people: <c>project-texas:protected</c>.</summary>
    public static DataClassification Protected { get; } = new(TaxonomyName, "protected");

    /// <summary>Gets the classification of what people made public: <c>project-texas:public</c>.</summary>
    public static DataClassification Public { get; } = new(TaxonomyName, "public");

    /// <summary>Gets the classification of excepted business data needed across borders: <c>project-texas:interoperability</c>.</summary>
    public static DataClassification Interoperability { get; } = new(TaxonomyName, "interoperability");
}
