using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace DataAccessAudit.Classification;

// The category of a whole record: what capture without a hand-written call (an endpoint returning a type, a query
// materialising an entity) records when it reads every property of a record at once.
public sealed partial class Taxonomy
{
    /// <summary>
    /// Gets the category of a record of <paramref name="recordType"/>: the most protected of the classifications of
    /// this taxonomy on the type itself and on its public instance properties (a category that requires approval to
    /// cross a border wins over one that does not).
    /// </summary>
    /// <param name="recordType">The record's type, such as an entity class whose properties carry <see cref="ProtectedDataAttribute"/>.</param>
    /// <param name="category">The category, or default when nothing on the type is classified in this taxonomy.</param>
    /// <returns>True when the type or one of its properties is classified in this taxonomy.</returns>
    /// <remarks>
    /// Reading a record reads all of it, so a message with a public sender name and a protected body is protected.
    /// Properties inherited from base types count, and a classification on a base property also classifies its overrides.
    /// </remarks>
    public bool TryGetRecordCategory(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type recordType,
        out DataCategory category)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        var found = TryGetCategory(recordType, out category);
        foreach (var property in recordType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (TryGetCategory(property, out var candidate) && (!found || IsMoreProtected(candidate, category)))
            {
                category = candidate;
                found = true;
            }
        }

        return found;
    }

    private bool IsMoreProtected(DataCategory candidate, DataCategory current) =>
        _rules[candidate.Name] == CrossBorderRule.RequiresApproval && _rules[current.Name] != CrossBorderRule.RequiresApproval;
}
