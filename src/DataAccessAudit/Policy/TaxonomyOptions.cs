namespace DataAccessAudit.Policy;

/// <summary>A <see cref="Classification.Taxonomy"/> as data, inside <see cref="AccessPolicyOptions"/>.</summary>
public sealed class TaxonomyOptions
{
    /// <summary>Gets or sets the taxonomy's name, such as <c>project-texas</c>. Required.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the categories, each with its cross-border rule; at least one, names distinct.</summary>
    public IList<DataCategoryOptions> Categories { get; set; } = [];
}
