using DataAccessAudit.Regions;

namespace DataAccessAudit.Reporting;

/// <summary>Protected accesses served from a data centre outside the data's home jurisdiction, for one storage region.</summary>
/// <param name="StoredIn">The region of the data centre that served them.</param>
/// <param name="ProtectedEvents">How many protected accesses it served from outside their home jurisdiction.</param>
public sealed record ResidencyCount(Region StoredIn, long ProtectedEvents);
