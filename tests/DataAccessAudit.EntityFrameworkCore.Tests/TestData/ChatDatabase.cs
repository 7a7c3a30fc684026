using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.EntityFrameworkCore.Tests.TestData;

/// <summary>
/// A real database with seeded users and messages (a SQLite file, or a PostgreSQL database when a connection string is
/// given), and an app's services: the auditor with an in-memory sink, a fake clock, and the requester of the current
/// operation, which a test sets.
/// </summary>
public sealed class ChatDatabase : IAsyncDisposable
{
    private readonly string _path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"chat-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider _services;
    private readonly string? _postgreSql;

    public ChatDatabase(PolicyMode mode = PolicyMode.Audit, Action<EntityAuditOptions>? configure = null, string? postgreSql = null, bool pooled = false)
    {
        _postgreSql = postgreSql;
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(Clock);
        services.AddSingleton<IRequesterAccessor>(Requesters);
        services.AddDataAccessAudit(audit => audit.UsePolicy(AccessPolicy.ProjectTexas.WithMode(mode)).AddSink(Sink));
        Action<IServiceProvider, DbContextOptionsBuilder> options = (provider, options) => (postgreSql is null ? options.UseSqlite($"Data Source={_path}") : options.UseNpgsql(postgreSql))
            .UseDataAccessAudit(provider, configure ?? (audit => audit.DefaultDataRegion = "US"))
            // Every test builds its own app, and so its own EF Core service provider: more than twenty in one test
            // process is the tests' doing, not the interceptor's (ManyContexts_ShareOneEfServiceProvider checks that).
            .ConfigureWarnings(warnings => warnings.Ignore(CoreEventId.ManyServiceProvidersCreatedWarning));
        _ = pooled ? services.AddDbContextPool<ChatContext>(options) : services.AddDbContext<ChatContext>(options);
        _services = services.BuildServiceProvider();

        using var scope = _services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<ChatContext>();
        context.Database.EnsureCreated();
        context.Profiles.AddRange(
            new Profile { DisplayName = "ann", Country = "US" },
            new Profile { DisplayName = "bob", Country = "US" },
            new Profile { DisplayName = "cia", Country = "IE" });
        context.Messages.AddRange(
            new Message { UserId = 1, Body = "hi", Country = "US" },
            new Message { UserId = 1, Body = "lunch?", Country = "US" },
            new Message { UserId = 2, Body = "yes", Country = "US" },
            new Message { UserId = 2, Body = "12:30", Country = "US" },
            new Message { UserId = 2, Body = "ok", Country = "US" },
            new Message { UserId = 3, Body = "dia duit", Country = "IE" });
        context.Settings.Add(new Setting());
        context.Notes.Add(new Note { Text = "call back" });
        context.Customers.Add(new Customer { UserId = 3, Country = "IE", Address = new Address { Street = "1 Sraid Mhor" } });
        context.Patients.Add(new Patient { Country = "US", Medical = new MedicalRecord { Clinic = "North", Diagnosis = new Diagnosis { Code = "J10" } } });
        context.SaveChanges();
    }

    public InMemoryAccessEventSink Sink { get; } = new();

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 11, 30, 12, 0));

    public TestRequesters Requesters { get; } = new();

    public string Path => _path;

    public IServiceProvider Services => _services;

    /// <summary>Runs <paramref name="query"/> on a fresh context, as one request of an app would.</summary>
    public async Task<T> QueryAsync<T>(Func<ChatContext, Task<T>> query)
    {
        await using var scope = _services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ChatContext>());
    }

    public async Task<IReadOnlyList<AccessRecord>> RecordsAsync()
    {
        await _services.GetRequiredService<IAccessAuditor>().FlushAsync(TestContext.Current.CancellationToken);
        return Sink.Records;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_postgreSql is null)
        {
            SqliteConnection.ClearAllPools();
            File.Delete(_path);
        }
    }
}

/// <summary>The requester of the current operation, set by a test.</summary>
public sealed class TestRequesters : IRequesterAccessor
{
    public Requester? Requester { get; set; }
}
