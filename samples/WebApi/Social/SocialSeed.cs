using Microsoft.EntityFrameworkCore;

namespace DataAccessAudit.Samples.WebApi.Social;

/// <summary>Creates the database file and fills it on first run: three US users, their messages and contacts.</summary>
public static class SocialSeed
{
    public static async Task EnsureSeededAsync(SocialContext context, CancellationToken cancellationToken)
    {
        if (!await context.Database.EnsureCreatedAsync(cancellationToken))
        {
            return;
        }

        context.Profiles.AddRange(
            new Profile { Id = 8812, Handle = "@dana", Bio = "Skateboards and synths, Austin TX" },
            new Profile { Id = 8813, Handle = "@miguel", Bio = "Line cook in Chicago" },
            new Profile { Id = 8814, Handle = "@priya", Bio = "Nurse, Seattle" });
        context.Messages.AddRange(
            new Message { UserId = 8812, From = "@miguel", Text = "still on for saturday?" },
            new Message { UserId = 8812, From = "@priya", Text = "my new number is in your contacts" },
            new Message { UserId = 8813, From = "@dana", Text = "yes! 7pm" },
            new Message { UserId = 8814, From = "@dana", Text = "got it, thanks" });
        context.Contacts.AddRange(
            new Contact { UserId = 8812, Name = "Priya", Phone = "+1 206 555 0142" },
            new Contact { UserId = 8812, Name = "Miguel", Phone = "+1 312 555 0117" },
            new Contact { UserId = 8813, Name = "Dana", Phone = "+1 512 555 0199" });
        await context.SaveChangesAsync(cancellationToken);
    }
}
