using Microsoft.Extensions.Compliance.Classification;

namespace DataAccessAudit.Classification;

/// <summary>
/// Classifies a member as Project Texas <c>protected</c> data: non-public data about people (contact details, private messages, device identifiers, precise location, payment data, viewing history): it must stay in its home jurisdiction unless an approval covers the access, and its redactor should hide it.
/// </summary>
/// <remarks>
/// The classification is <see cref="ProjectTexasClassifications.Protected"/>: redaction picks the redactor registered
/// for it, and <see cref="Taxonomy.TryGetCategory(System.Reflection.ICustomAttributeProvider, out DataCategory)"/> gives
/// <see cref="Taxonomy.Protected"/> for the audit.
/// </remarks>
[AttributeUsage(
    AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue |
    AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.GenericParameter,
    AllowMultiple = true)]
public sealed class ProtectedDataAttribute : DataClassificationAttribute
{
    /// <summary>Creates the attribute.</summary>
    public ProtectedDataAttribute()
        : base(ProjectTexasClassifications.Protected)
    {
    }
}
