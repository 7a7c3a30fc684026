using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.PostgreSql.Writing;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Tests;

// Varied access events (many requesters, regions, categories, types, storage places, subjects, times across a
// daylight-saving change) and the recording pipeline that writes them.
internal static class Stories
{
    private static readonly string[] Regions = ["US", "CN", "SG", "IE", "ZZ", "CA", "GB"];
    private static readonly DataCategory[] Categories = [Taxonomy.Protected, Taxonomy.Public, Taxonomy.Interoperability, new("payroll")];
    private static readonly string?[] Types = ["messages", "profile", "location", null, "contacts"];

    public static readonly Instant Start = Instant.FromUtc(2021, 10, 30, 0, 0);

    // Ends the sessions whose pids the query selects and returns how many there were. The server waits for each to
    // exit (pg_terminate_backend's timeout, PostgreSQL 14 and later), so what they held (an advisory lock, their row
    // in pg_stat_activity) is gone on return: a test needs no polling.
    public static async Task<long> EndSessionsAsync(string connectionString, string pids)
    {
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync(TestContext.Current.CancellationToken);
        await using var end = new NpgsqlCommand($"SELECT count(*), coalesce(bool_and(ended), true) FROM (SELECT pg_terminate_backend(pid, 5000) AS ended FROM ({pids}) AS sessions) AS ends", admin);
        await using var reader = await end.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.True(reader.GetBoolean(1), $"the sessions of ({pids}) ended within 5 s");
        return reader.GetInt64(0);
    }

    public static List<AccessEvent> Events(int count, int seed, string prefix = "e")
    {
        var random = new Random(seed);
        var events = new List<AccessEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var storedIn = random.Next(3) == 0 ? Region.Parse(Regions[random.Next(4)]) : (Region?)null;
            events.Add(new AccessEvent(
                $"{prefix}-{i}",
                Start + Duration.FromSeconds(random.Next(0, 14 * 86400)) + Duration.FromTicks(random.Next(0, 10_000_000)),
                new Requester($"emp-{random.Next(40)}", Region.Parse(Regions[random.Next(Regions.Length)])),
                new AccessedResource($"user/{random.Next(200)}/{random.Next(3)}", Categories[random.Next(Categories.Length)], Region.Parse(Regions[random.Next(4)]))
                {
                    Type = Types[random.Next(Types.Length)],
                    StoredIn = storedIn,
                },
                random.Next(5) == 0 ? "export" : "read")
            {
                Subjects = random.Next(4) == 0 ? random.Next(1, 500) : 1,
                Purpose = random.Next(7) == 0 ? "support \"ticket\" ü" : null,
            });
        }

        return events;
    }

    // A service provider with the audit writing to PostgreSQL (and optionally more).
    public static ServiceProvider Recorder(string connectionString, string instanceId, Action<IDataAccessAuditBuilder>? more = null, IClock? clock = null, Action<PostgreSqlStoreOptions>? options = null)
    {
        var services = new ServiceCollection();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddDataAccessAudit(audit =>
        {
            audit.UsePostgreSql(o =>
            {
                o.ConnectionString = connectionString;
                o.InstanceId = instanceId;
                options?.Invoke(o);
            });
            audit.ConfigureRecording(r => r.FlushInterval = TimeSpan.FromMilliseconds(50));
            more?.Invoke(audit);
        });
        return services.BuildServiceProvider();
    }

    public static async Task RecordAsync(string connectionString, string instanceId, IEnumerable<AccessEvent> events)
    {
        await using var provider = Recorder(connectionString, instanceId);
        var auditor = provider.GetRequiredService<IAccessAuditor>();
        foreach (var e in events)
        {
            auditor.Record(e);
        }

        await auditor.FlushAsync();
    }

    public static PostgreSqlAccessEventSink Sink(string connectionString, string instanceId, IClock? clock = null, string? keyId = null, string? key = null, string? spillDirectory = null) =>
        new(new PostgreSqlStoreOptions { ConnectionString = connectionString, InstanceId = instanceId, KeyId = keyId, Key = key, SpillDirectory = spillDirectory }, clock ?? SystemClock.Instance);

    public static AccessRecord[] Decided(IEnumerable<AccessEvent> events) =>
        [.. events.Select(e => new AccessRecord(e, AccessPolicy.ProjectTexas.Evaluate(e)))];
}
