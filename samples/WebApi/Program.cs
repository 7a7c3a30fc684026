using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Policy;
using DataAccessAudit.Samples.WebApi.Social;
using Microsoft.EntityFrameworkCore;

// A social app's API telling the Project Texas story: US users' profiles are public, their messages and contacts are
// protected. Staff in the US, Ireland, Singapore and China call it through the company gateway, which names them in
// X-Employee-* headers (here the gateway is anything on this machine: see Audit:Http:TrustedProxies). Every read is
// recorded twice over without a hand-written call: by the endpoint (who asked for which user's data) and by the
// database query (how many people's rows were read), into a tamper-evident log that access-report reads.
var builder = WebApplication.CreateBuilder(args);
var data = Path.GetFullPath(builder.Configuration["DataDirectory"] ?? "webapi-data");
Directory.CreateDirectory(data);
var mode = Enum.TryParse<PolicyMode>(builder.Configuration["Audit:Mode"], ignoreCase: true, out var configured)
    ? configured
    : throw new InvalidOperationException($"Audit:Mode is \"{builder.Configuration["Audit:Mode"]}\": expected Audit or Enforce.");

builder.Services.AddDataAccessAudit(audit => audit
    .UsePolicy(AccessPolicy.ProjectTexas.WithMode(mode))
    .AddFileLog(log => log.Directory = Path.Combine(data, "audit-log"))
    .AddAspNetCore(builder.Configuration.GetSection("Audit:Http")));
builder.Services.AddDbContext<SocialContext>((services, options) => options
    .UseSqlite($"Data Source={Path.Combine(data, "social.db")}")
    .UseDataAccessAudit(services, audit => audit.StoredIn = "US"));

var app = builder.Build();
await using (var scope = app.Services.CreateAsyncScope())
{
    await SocialSeed.EnsureSeededAsync(scope.ServiceProvider.GetRequiredService<SocialContext>(), CancellationToken.None);
}

Console.WriteLine($"Data in {data}: social.db, and the audit log in audit-log/ (policy {AccessPolicy.ProjectTexas.Id}, {mode} mode).");

app.MapGet("/users/{userId:int}/profile", async (int userId, SocialContext db, CancellationToken cancellationToken) =>
        await db.Profiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == userId, cancellationToken) is { } profile
            ? Results.Ok(new { profile.Id, profile.Handle, profile.Bio })
            : Results.NotFound())
    .AuditsAccess(typeof(Profile), access => access.ResourceId = "user/{userId}/profile");

app.MapGet("/users/{userId:int}/messages", async (int userId, SocialContext db, CancellationToken cancellationToken) =>
        Results.Ok((await db.Messages.AsNoTracking().Where(m => m.UserId == userId).ToListAsync(cancellationToken))
            .Select(m => new { m.Id, m.From, m.Text })))
    .AuditsAccess("protected", access =>
    {
        access.ResourceId = "user/{userId}/messages";
        access.ResourceType = "direct-message";
    });

app.MapGet("/users/{userId:int}/contacts", async (int userId, SocialContext db, CancellationToken cancellationToken) =>
        Results.Ok((await db.Contacts.AsNoTracking().Where(c => c.UserId == userId).ToListAsync(cancellationToken))
            .Select(c => new { c.Name, c.Phone })))
    .AuditsAccess(typeof(Contact), access => access.ResourceId = "user/{userId}/contacts");

app.Run();

/// <summary>The app, for WebApplicationFactory in its tests.</summary>
public partial class Program;
