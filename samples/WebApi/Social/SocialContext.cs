using Microsoft.EntityFrameworkCore;

namespace DataAccessAudit.Samples.WebApi.Social;

/// <summary>The app's database: users' public profiles, their protected messages and contacts.</summary>
public sealed class SocialContext(DbContextOptions<SocialContext> options) : DbContext(options)
{
    public DbSet<Profile> Profiles => Set<Profile>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<Contact> Contacts => Set<Contact>();
}
