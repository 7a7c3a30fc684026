using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.EntityFrameworkCore.Tests.Interception;

// Lazy-loading proxies materialise a runtime subclass (Castle.Proxies.PersonProxy) whose overrides of the virtual
// properties carry no attributes: the entity is still the model's Person.
public sealed class LazyLoadingProxyTests : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"proxies-{Guid.NewGuid():N}.db");
    private readonly InMemoryAccessEventSink _sink = new();
    private readonly ServiceProvider _services;

    public LazyLoadingProxyTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0)));
        services.AddSingleton<IRequesterAccessor>(new TestData.TestRequesters { Requester = new Requester("emp-1", Region.Parse("US")) });
        services.AddDataAccessAudit(audit => audit.UsePolicy(AccessPolicy.ProjectTexas).AddSink(_sink));
        services.AddDbContext<PeopleContext>((provider, options) => options
            .UseSqlite($"Data Source={_path}")
            .UseLazyLoadingProxies()
            .UseDataAccessAudit(provider)
            .ConfigureWarnings(warnings => warnings.Ignore(CoreEventId.ManyServiceProvidersCreatedWarning)));
        _services = services.BuildServiceProvider();

        using var scope = _services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<PeopleContext>();
        context.Database.EnsureCreated();
        var person = context.CreateProxy<Person>();
        person.Email = "a@example.ie";
        person.Country = "IE";
        context.People.Add(person);
        var post = context.CreateProxy<Post>();
        post.Body = "dia duit";
        post.Country = "IE";
        person.Posts.Add(post);
        context.SaveChanges();
    }

    [Fact]
    public async Task ProxiedEntities_AreRecordedAsTheirModelType_WithTheirHomeRegion()
    {
        await using (var scope = _services.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<PeopleContext>();
            var people = await context.People.ToListAsync(TestContext.Current.CancellationToken);
            Assert.NotEqual(typeof(Person), people[0].GetType());
            Assert.Single(people[0].Posts);
        }

        await _services.GetRequiredService<IAccessAuditor>().FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(
            [("Person", "IE"), ("Post", "IE")],
            _sink.Records.Select(r => (r.Event.Resource.Id, r.Event.Resource.Region.Code)).Order());
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    public class PeopleContext(DbContextOptions<PeopleContext> options) : DbContext(options)
    {
        public DbSet<Person> People => Set<Person>();
    }

    public class Person
    {
        public virtual int Id { get; set; }

        [ProtectedData]
        public virtual string Email { get; set; } = string.Empty;

        [HomeRegion]
        public virtual string Country { get; set; } = "US";

        public virtual ICollection<Post> Posts { get; set; } = [];
    }

    public class Post
    {
        public virtual int Id { get; set; }

        [ProtectedData]
        public virtual string Body { get; set; } = string.Empty;

        [HomeRegion]
        public virtual string Country { get; set; } = "US";
    }
}
