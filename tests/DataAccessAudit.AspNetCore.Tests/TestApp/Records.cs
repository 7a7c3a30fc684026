using DataAccessAudit.Classification;

namespace DataAccessAudit.AspNetCore.Tests.TestApp;

/// <summary>A user's public profile: its classification makes it public data.</summary>
public sealed class Profile
{
    [PublicData]
    public string DisplayName { get; init; } = string.Empty;
}

/// <summary>A direct message: public sender name, protected body, so the record is protected.</summary>
public sealed class Message
{
    [PublicData]
    public string Sender { get; init; } = string.Empty;

    [ProtectedData]
    public string Body { get; init; } = string.Empty;
}
