namespace DataAccessAudit.Reporting;

/// <summary>How many events of the period a policy decided when they were recorded (their recorded decision names it).</summary>
/// <param name="Policy">The name/version in the recorded decisions, such as <c>my-app/1</c>; null for decisions that name no policy.</param>
/// <param name="Events">Events whose recorded decision the report used.</param>
public sealed record RecordedPolicyCount(string? Policy, long Events);
