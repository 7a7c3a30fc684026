using DataAccessAudit.Classification;
using Microsoft.EntityFrameworkCore;

namespace DataAccessAudit.EntityFrameworkCore.Tests.TestData;

/// <summary>A chat app's database: public profiles, protected messages, unclassified settings.</summary>
public sealed class ChatContext(DbContextOptions<ChatContext> options) : DbContext(options)
{
    public DbSet<Profile> Profiles => Set<Profile>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<Setting> Settings => Set<Setting>();

    public DbSet<Note> Notes => Set<Note>();
}

public sealed class Profile
{
    public int Id { get; set; }

    [PublicData]
    public string DisplayName { get; set; } = string.Empty;

    [HomeRegion]
    public string Country { get; set; } = "US";
}

public sealed class Message
{
    public int Id { get; set; }

    [SubjectKey]
    public int UserId { get; set; }

    [ProtectedData]
    public string Body { get; set; } = string.Empty;

    [HomeRegion]
    public string Country { get; set; } = "US";
}

public sealed class Setting
{
    public int Id { get; set; }

    public string Theme { get; set; } = "dark";
}

/// <summary>Protected, with no home region of its own: takes the context's default.</summary>
public sealed class Note
{
    public int Id { get; set; }

    [ProtectedData]
    public string Text { get; set; } = string.Empty;
}
