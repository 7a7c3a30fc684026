namespace DataAccessAudit.BulkData;

/// <summary>
/// The foreign person or covered person whose access adds up toward a bulk threshold: a covered organization (its
/// employees' accesses together) or a single requester in a country of concern.
/// </summary>
/// <param name="Name">The organization's name as the policy lists it, or the requester's id.</param>
/// <param name="IsOrganization">True for a covered organization, false for a requester.</param>
public readonly record struct BulkCounterparty(string Name, bool IsOrganization);
