using DataAccessAudit.Classification;
using DataAccessAudit.EntityFrameworkCore;

namespace DataAccessAudit.Samples.WebApi.Social;

/// <summary>A direct message: protected data of the user who received it.</summary>
public sealed class Message
{
    public int Id { get; set; }

    [SubjectKey]
    public int UserId { get; set; }

    public string From { get; set; } = string.Empty;

    [ProtectedData]
    public string Text { get; set; } = string.Empty;

    [HomeRegion]
    public string Country { get; set; } = "US";
}
