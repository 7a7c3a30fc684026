using DataAccessAudit.Classification;
using DataAccessAudit.EntityFrameworkCore;

namespace DataAccessAudit.Samples.WebApi.Social;

/// <summary>A user's profile: what anyone on the platform sees, so public data.</summary>
public sealed class Profile
{
    [SubjectKey]
    public int Id { get; set; }

    [PublicData]
    public string Handle { get; set; } = string.Empty;

    [PublicData]
    public string Bio { get; set; } = string.Empty;

    /// <summary>Gets or sets where the user lives: the home of their data.</summary>
    [HomeRegion]
    public string Country { get; set; } = "US";
}
