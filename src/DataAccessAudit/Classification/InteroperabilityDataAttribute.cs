using Microsoft.Extensions.Compliance.Classification;

namespace DataAccessAudit.Classification;

/// <summary>
/// Classifies a member as Project Texas <c>interoperability</c> data: excepted business data needed across borders (aggregated or de-identified metrics, content-moderation signals): it may be read from anywhere.
/// </summary>
/// <remarks>
/// The classification is <see cref="ProjectTexasClassifications.Interoperability"/>: redaction picks the redactor registered
/// for it, and <see cref="Taxonomy.TryGetCategory(System.Reflection.ICustomAttributeProvider, out DataCategory)"/> gives
/// <see cref="Taxonomy.Interoperability"/> for the audit.
/// </remarks>
[AttributeUsage(
    AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue |
    AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.GenericParameter,
    AllowMultiple = true)]
public sealed class InteroperabilityDataAttribute : DataClassificationAttribute
{
    /// <summary>Creates the attribute.</summary>
    public InteroperabilityDataAttribute()
        : base(ProjectTexasClassifications.Interoperability)
    {
    }
}
