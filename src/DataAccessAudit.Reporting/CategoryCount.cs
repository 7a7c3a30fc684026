namespace DataAccessAudit.Reporting;

/// <summary>The events of one data category.</summary>
/// <param name="Category">The category name, such as <c>protected</c>.</param>
/// <param name="Events">Events of this category.</param>
/// <param name="CrossBorder">Of these, events that crossed a border.</param>
/// <param name="Flagged">Of these, events whose outcome is <c>flagged</c>.</param>
/// <param name="Denied">Of these, events whose outcome is <c>denied</c>.</param>
/// <param name="Approved">Of these, events whose outcome is <c>approved</c>.</param>
public sealed record CategoryCount(string Category, long Events, long CrossBorder, long Flagged, long Denied, long Approved);
