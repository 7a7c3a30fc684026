namespace DataAccessAudit.Reporting;

/// <summary>The events of one data category.</summary>
/// <param name="Category">The category name, such as <c>protected</c>.</param>
/// <param name="Counts">Events of this category, by outcome and border.</param>
public sealed record CategoryCount(string Category, AccessCounts Counts);
