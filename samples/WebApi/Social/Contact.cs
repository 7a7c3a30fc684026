using DataAccessAudit.Classification;
using DataAccessAudit.EntityFrameworkCore;

namespace DataAccessAudit.Samples.WebApi.Social;

/// <summary>An entry of a user's address book: protected data of that user.</summary>
public sealed class Contact
{
    public int Id { get; set; }

    [SubjectKey]
    public int UserId { get; set; }

    [ProtectedData]
    public string Name { get; set; } = string.Empty;

    [ProtectedData]
    public string Phone { get; set; } = string.Empty;

    [HomeRegion]
    public string Country { get; set; } = "US";
}
