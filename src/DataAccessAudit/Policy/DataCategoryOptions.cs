namespace DataAccessAudit.Policy;

/// <summary>One data category of a <see cref="TaxonomyOptions"/>, with what crossing a border means for it.</summary>
public sealed class DataCategoryOptions
{
    /// <summary>Gets or sets the category's name, such as <c>protected</c>; compared ordinally. Required.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Gets or sets the cross-border rule: <c>requires-approval</c> (the data must stay at home unless an approval
    /// covers the access) or <c>allowed</c>, ignoring case. Required: what a category may do is never left implicit.
    /// </summary>
    public string? CrossBorder { get; set; }
}
