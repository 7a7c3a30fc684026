using Microsoft.Extensions.Compliance.Classification;

namespace DataAccessAudit.Classification;

/// <summary>
/// Classifies a member as Project Texas <c>public</c> data: what a person made public (public profile, public posts and comments): it may be read from anywhere.
/// </summary>
/// <remarks>
/// The classification is <see cref="ProjectTexasClassifications.Public"/>: redaction picks the redactor registered
/// for it, and <see cref="Taxonomy.TryGetCategory(System.Reflection.ICustomAttributeProvider, out DataCategory)"/> gives
/// <see cref="Taxonomy.Public"/> for the audit.
/// </remarks>
[AttributeUsage(
    AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue |
    AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.GenericParameter,
    AllowMultiple = true)]
public sealed class PublicDataAttribute : DataClassificationAttribute
{
    /// <summary>Creates the attribute.</summary>
    public PublicDataAttribute()
        : base(ProjectTexasClassifications.Public)
    {
    }
}
