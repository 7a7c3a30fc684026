namespace DataAccessAudit.Reporting;

/// <summary>A requester who contributed to a bulk-threshold figure, by the subject records of their accesses in the window.</summary>
/// <param name="RequesterId">The requester's id.</param>
/// <param name="SubjectRecords">The sum of <c>subjects</c> of their counted accesses in the window (person-records, not distinct people), exact.</param>
public sealed record BulkContributor(string RequesterId, Int128 SubjectRecords);
