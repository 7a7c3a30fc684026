using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.DependencyInjection;

public sealed class DataAccessAuditServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddDataAccessAudit_NothingElse_RegistersAuditorPresetPolicyAndSystemClock()
    {
        await using var provider = new ServiceCollection().AddDataAccessAudit().BuildServiceProvider(validateScopes: true);

        Assert.NotNull(provider.GetRequiredService<IAccessAuditor>());
        Assert.Same(AccessPolicy.ProjectTexas, provider.GetRequiredService<AccessPolicy>());
        Assert.Same(SystemClock.Instance, provider.GetRequiredService<IClock>());
        Assert.Contains(provider.GetServices<IHostedService>(), service => service is ResolvedOnStart<RecordingQueue>);
    }

    [Fact]
    public async Task AddDataAccessAudit_ClockRegisteredBefore_KeepsThatClock()
    {
        var clock = new FakeClock(Instant.FromUtc(2021, 9, 14, 7, 31, 2));
        var services = new ServiceCollection().AddSingleton<IClock>(clock);

        await using var provider = services.AddDataAccessAudit().BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public async Task AddDataAccessAudit_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection().AddDataAccessAudit().AddDataAccessAudit();

        Assert.Single(services, d => d.ServiceType == typeof(IAccessAuditor));
        Assert.Single(services, d => d.ServiceType == typeof(AccessPolicy));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        await using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<IAccessAuditor>(), provider.GetRequiredService<IAccessAuditor>());
    }

    [Fact]
    public void AddDataAccessAudit_NullConfigure_Throws()
    {
        Assert.Throws<ArgumentNullException>("configure", () => new ServiceCollection().AddDataAccessAudit(null!));
    }

    [Fact(Timeout = 30_000)]
    public async Task Record_WithoutDetails_RecordsNoApprovalNoPurposeAndOneSubject()
    {
        var sink = new InMemoryAccessEventSink();
        await using var provider = new ServiceCollection().AddDataAccessAudit(audit => audit.AddSink(sink)).BuildServiceProvider();
        var auditor = provider.GetRequiredService<IAccessAuditor>();
        var requester = new Requester("emp-1", Region.Parse("US"));
        var resource = new AccessedResource("user/1", Taxonomy.Protected, Region.Parse("US"));

        auditor.Record(requester, resource, "read");
        auditor.Record(requester, resource, "read", default);
        auditor.Record(requester, resource, "export", new AccessDetails { Approval = new Approval("appr-1"), Subjects = 40 });
        await auditor.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [(null, null, 1), (null, null, 1), ("appr-1", null, 40)],
            sink.Records.Select(r => (r.Event.Approval?.Id, r.Event.Purpose, r.Event.Subjects)).ToArray());
    }

    [Fact]
    public void AccessDetails_SubjectsBelowOne_ThrowsNamingTheProperty()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new AccessDetails { Subjects = 0 });

        Assert.Equal("Subjects", exception.ParamName);
        Assert.Contains("expected 1 or more", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePolicy_Policy_ReplacesThePreset()
    {
        var enforce = AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce);

        await using var provider = new ServiceCollection()
            .AddDataAccessAudit(audit => audit.UsePolicy(AccessPolicy.ProjectTexas).UsePolicy(enforce))
            .BuildServiceProvider();

        Assert.Same(enforce, provider.GetRequiredService<AccessPolicy>());
        Assert.Equal(
            AccessOutcome.Denied,
            provider.GetRequiredService<IAccessAuditor>().Record(new Requester("emp-4411", Region.Parse("CN")), new AccessedResource("user/1", Taxonomy.Protected, Region.Parse("US")), "read").Outcome);
    }

    [Fact(Timeout = 30_000)]
    public async Task Record_WithFakeClock_StampsFakeTimeAndUuidV7AndReachesTheSinkAfterFlush()
    {
        var now = Instant.FromUtc(2021, 9, 14, 7, 31, 2) + Duration.FromMilliseconds(345);
        var clock = new FakeClock(now);
        var sink = new InMemoryAccessEventSink();
        await using var provider = new ServiceCollection()
            .AddSingleton<IClock>(clock)
            .AddDataAccessAudit(audit => audit.AddSink(sink))
            .BuildServiceProvider();
        var auditor = provider.GetRequiredService<IAccessAuditor>();

        var decision = auditor.Record(
            new Requester("emp-4411", Region.Parse("CN")) { Organization = "ByteDance" },
            new AccessedResource("user/8812/messages", Taxonomy.Protected, Region.Parse("US")) { StoredIn = Region.Parse("US") },
            "read",
            new AccessDetails { Purpose = "debugging", Subjects = 3 });
        await auditor.FlushAsync(TestContext.Current.CancellationToken);

        var record = Assert.Single(sink.Records);
        Assert.Equal(decision, record.Decision);
        Assert.Equal(AccessOutcome.Flagged, decision.Outcome);
        Assert.Equal(now, record.Event.Time);
        Assert.Equal("debugging", record.Event.Purpose);
        Assert.Equal(3, record.Event.Subjects);
        var id = record.Event.Id;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        var milliseconds = Convert.ToInt64(id[..8] + id[9..13], 16);
        Assert.Equal(now.ToUnixTimeMilliseconds(), milliseconds);
    }

    [Fact(Timeout = 30_000)]
    public async Task Record_EventsInOrder_ReachTheSinkInOrderAndIdsSortByTime()
    {
        var clock = new FakeClock(Instant.FromUtc(2024, 1, 1, 0, 0));
        var sink = new InMemoryAccessEventSink();
        await using var provider = new ServiceCollection()
            .AddSingleton<IClock>(clock)
            .AddDataAccessAudit(audit => audit.AddSink(sink))
            .BuildServiceProvider();
        var auditor = provider.GetRequiredService<IAccessAuditor>();
        var requester = new Requester("svc", Region.Parse("US"));

        for (var i = 0; i < 50; i++)
        {
            auditor.Record(requester, new AccessedResource($"r/{i}", Taxonomy.Public, Region.Parse("US")), "read");
            clock.AdvanceMilliseconds(1);
        }

        await auditor.FlushAsync(TestContext.Current.CancellationToken);

        var records = sink.Records;
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r/{i}"), records.Select(r => r.Event.Resource.Id));
        Assert.Equal(records.Select(r => r.Event.Id).Order(StringComparer.Ordinal), records.Select(r => r.Event.Id));
    }
}
