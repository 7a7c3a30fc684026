using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Compliance.Classification;

namespace DataAccessAudit.Classification;

// The bridge to Microsoft.Extensions.Compliance: a DataClassification whose taxonomy name is this taxonomy's name
// and whose value is one of its categories is that category.
public sealed partial class Taxonomy
{
    /// <summary>Gets the category a <see cref="DataClassification"/> stands for in this taxonomy.</summary>
    /// <param name="classification">A classification, such as <see cref="ProjectTexasClassifications.Protected"/>.</param>
    /// <param name="category">The category, when the classification belongs to this taxonomy.</param>
    /// <returns>
    /// True when the classification's taxonomy name is this taxonomy's <see cref="Name"/> and its value names one of
    /// the <see cref="Categories"/> (both compared ordinally).
    /// </returns>
    public bool TryGetCategory(DataClassification classification, out DataCategory category)
    {
        if (string.Equals(classification.TaxonomyName, Name, StringComparison.Ordinal) &&
            !string.IsNullOrEmpty(classification.Value) &&
            _rules.ContainsKey(classification.Value))
        {
            category = new DataCategory(classification.Value);
            return true;
        }

        category = default;
        return false;
    }

    /// <summary>
    /// Gets the category of a member (property, field, parameter, type) classified with a
    /// <see cref="DataClassificationAttribute"/> of this taxonomy, such as <see cref="ProtectedDataAttribute"/>.
    /// </summary>
    /// <param name="member">The member, such as <c>typeof(User).GetProperty("Email")</c>.</param>
    /// <param name="category">The category; when several classifications of this taxonomy apply, one whose data must
    /// stay at home wins, so that a doubly classified member fails closed.</param>
    /// <returns>True when the member carries a classification of this taxonomy.</returns>
    public bool TryGetCategory(ICustomAttributeProvider member, out DataCategory category)
    {
        ArgumentNullException.ThrowIfNull(member);
        category = default;
        var found = false;
        // Attribute.GetCustomAttributes, unlike PropertyInfo.GetCustomAttributes, honours inheritance for properties, so a
        // classification on a base property also classifies its overrides.
        var attributes = member switch
        {
            MemberInfo info => Attribute.GetCustomAttributes(info, typeof(DataClassificationAttribute), inherit: true),
            ParameterInfo info => Attribute.GetCustomAttributes(info, typeof(DataClassificationAttribute), inherit: true),
            _ => member.GetCustomAttributes(typeof(DataClassificationAttribute), inherit: true),
        };
        foreach (var attribute in attributes)
        {
            if (attribute is DataClassificationAttribute classified && TryGetCategory(classified.Classification, out var candidate))
            {
                if (!found || (_rules[candidate.Name] == CrossBorderRule.RequiresApproval && _rules[category.Name] != CrossBorderRule.RequiresApproval))
                {
                    category = candidate;
                }

                found = true;
            }
        }

        return found;
    }

    /// <summary>Gets the category of a public property of <typeparamref name="T"/> classified with a <see cref="DataClassificationAttribute"/> of this taxonomy.</summary>
    /// <typeparam name="T">The type that declares or inherits the property.</typeparam>
    /// <param name="propertyName">The property's name, such as <c>nameof(User.Email)</c>.</param>
    /// <param name="category">The category, as for <see cref="TryGetCategory(ICustomAttributeProvider, out DataCategory)"/>.</param>
    /// <returns>True when the property carries a classification of this taxonomy.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no public property named <paramref name="propertyName"/>.</exception>
    public bool TryGetCategory<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string propertyName, out DataCategory category)
    {
        ArgumentException.ThrowIfNullOrEmpty(propertyName);
        var property = typeof(T).GetProperty(propertyName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new ArgumentException($"'{propertyName}' is not a public property of {typeof(T).FullName}.", nameof(propertyName));
        return TryGetCategory(property, out category);
    }

    /// <summary>Gets the <see cref="DataClassification"/> of a category of this taxonomy, for choosing its redactor.</summary>
    /// <param name="category">A category of this taxonomy.</param>
    /// <returns>The classification: this taxonomy's name and the category's name.</returns>
    /// <exception cref="ArgumentException"><paramref name="category"/> is not a category of this taxonomy.</exception>
    public DataClassification GetClassification(DataCategory category) =>
        Contains(category)
            ? new DataClassification(Name, category.Name)
            : throw new ArgumentException($"'{category}' is not a category of taxonomy '{Name}': expected one of {string.Join(", ", Categories)}.", nameof(category));
}
