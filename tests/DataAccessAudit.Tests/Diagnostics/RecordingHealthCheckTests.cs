using DataAccessAudit.Diagnostics;
using DataAccessAudit.Recording;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Tests.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Diagnostics;

public sealed class RecordingHealthCheckTests
{
    private readonly FakeClock _clock = new(LogFixture.Start);

    [Fact]
    public async Task Check_WritingNormally_IsHealthyWithTheQueueFigures()
    {
        var memory = new InMemoryAccessEventSink();
        await using var queue = new RecordingQueue([memory], new RecordingOptions(), _clock);
        queue.Enqueue(LogFixture.Record(0));
        await queue.FlushAsync(TestContext.Current.CancellationToken);

        var result = await Check(queue);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(0L, result.Data["queueDepth"]);
        Assert.Equal(0L, result.Data["droppedCount"]);
        Assert.Equal(1L, result.Data["writtenCount"]);
        Assert.False(result.Data.ContainsKey("lastWriteError"));
    }

    [Fact]
    public async Task Check_ErrorMessageEndingInAFullStop_IsQuotedWithOneFullStop()
    {
        var sink = new FailingSink("The store cannot be reached; accesses are written when it can.");
        await using var queue = new RecordingQueue([sink], new RecordingOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, _clock);
        queue.Enqueue(LogFixture.Record(0));
        await Assert.ThrowsAsync<IOException>(async () => await queue.FlushAsync(TestContext.Current.CancellationToken));

        var failing = await Check(queue);

        Assert.StartsWith("The audit log cannot be written: The store cannot be reached; accesses are written when it can. Accesses waiting in the queue: ", failing.Description, StringComparison.Ordinal);
        sink.Failing = false;
        await queue.FlushAsync(TestContext.Current.CancellationToken);
    }

    private sealed class FailingSink(string message) : IAccessEventSink
    {
        public volatile bool Failing = true;

        public ValueTask WriteAsync(ReadOnlyMemory<DataAccessAudit.Policy.AccessRecord> batch, CancellationToken cancellationToken) =>
            Failing ? throw new IOException(message) : ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Check_WhileTheLogCannotBeWritten_IsUnhealthyNamingTheError_AndKeepsItAfterRecovery()
    {
        var memory = new InMemoryAccessEventSink();
        using var sink = new GatedSink(memory) { Failing = true };
        await using var queue = new RecordingQueue([sink], new RecordingOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, _clock);
        queue.Enqueue(LogFixture.Record(0));
        await Assert.ThrowsAsync<IOException>(async () => await queue.FlushAsync(TestContext.Current.CancellationToken));

        var failing = await Check(queue);

        Assert.Equal(HealthStatus.Unhealthy, failing.Status);
        Assert.Contains("No space left on device", failing.Description, StringComparison.Ordinal);
        Assert.Equal("No space left on device", failing.Data["lastWriteError"]);
        Assert.Equal("2026-11-27T07:00:00Z", failing.Data["lastWriteErrorAt"]);
        Assert.IsType<IOException>(failing.Exception);

        sink.Failing = false;
        await queue.FlushAsync(TestContext.Current.CancellationToken);
        var recovered = await Check(queue);

        Assert.Equal(HealthStatus.Healthy, recovered.Status);
        Assert.Equal("No space left on device", recovered.Data["lastWriteError"]);
    }

    [Fact]
    public async Task Check_AfterAccessesWereDropped_IsDegradedWithTheCount()
    {
        var memory = new InMemoryAccessEventSink();
        using var sink = new GatedSink(memory);
        await using var queue = new RecordingQueue([sink], new RecordingOptions { Capacity = 1024, FullMode = RecordingFullMode.Drop, MaxBatchSize = 64 }, _clock);
        sink.Close();
        for (var i = 0; i < 3000; i++)
        {
            queue.Enqueue(LogFixture.Record(i));
        }

        var full = await Check(queue);
        sink.Open();
        await queue.FlushAsync(TestContext.Current.CancellationToken);
        var drained = await Check(queue);

        Assert.Equal(HealthStatus.Degraded, full.Status);
        Assert.Equal(HealthStatus.Degraded, drained.Status);
        Assert.Equal(queue.DroppedCount, drained.Data["droppedCount"]);
        Assert.Equal(queue.DroppedCount, drained.Data["droppedQueueFull"]);
        Assert.Equal(0L, drained.Data["droppedTooLarge"]);
        Assert.Contains($"Accesses dropped: {queue.DroppedCount} ({queue.DroppedCount} because the recording queue was full, 0 too large to record);", drained.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AfterTheFileLogDroppedAnAccessTooLargeToRecord_IsDegradedWithTheCountByReason()
    {
        var directory = LogFixture.NewDirectory();
        try
        {
            using var log = new DataAccessAudit.Log.FileLog(LogFixture.Options(directory), _clock);
            await using var queue = new RecordingQueue([log], new RecordingOptions(), _clock);
            var huge = new DataAccessAudit.Events.AccessEvent("e-huge", LogFixture.Start, LogFixture.Event(1).Requester, LogFixture.Event(1).Resource, "export")
            {
                SubjectKeys = [.. Enumerable.Range(0, 700_000).Select(i => $"subject-key-{i:D12}")],
            };
            queue.Enqueue(LogFixture.Record(0));
            queue.Enqueue(LogFixture.Record(1) with { Event = huge });
            queue.Enqueue(LogFixture.Record(2));
            await queue.FlushAsync(TestContext.Current.CancellationToken);

            var result = await Check(queue);

            Assert.Equal(HealthStatus.Degraded, result.Status);
            Assert.Equal(1L, result.Data["droppedCount"]);
            Assert.Equal(0L, result.Data["droppedQueueFull"]);
            Assert.Equal(1L, result.Data["droppedTooLarge"]);
            Assert.Equal(2L, result.Data["writtenCount"]);
            Assert.Equal(2L, result.Data["durableCount"]);
            Assert.StartsWith("Accesses dropped: 1 (0 because the recording queue was full, 1 too large to record);", result.Description, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AddDataAccessAuditCheck_RegistersTheCheckOfTheAuditsPipeline()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(_clock);
        services.AddDataAccessAudit();
        services.AddHealthChecks().AddDataAccessAuditCheck(tags: ["ready"]);
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        var entry = Assert.Single(report.Entries);
        Assert.Equal("data-access-audit", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
        Assert.Equal(["ready"], entry.Value.Tags);
        Assert.Equal(0L, entry.Value.Data["queueDepth"]);
    }

    [Fact]
    public async Task AddDataAccessAuditCheck_WithoutTheAudit_ReportsTheCheckUnhealthyNamingTheMissingRegistration()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks()
            .AddDataAccessAuditCheck()
            .AddCheck("app", () => HealthCheckResult.Healthy());
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        var audit = report.Entries["data-access-audit"];
        Assert.Equal(HealthStatus.Unhealthy, audit.Status);
        Assert.Contains("AddDataAccessAudit", audit.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, report.Entries["app"].Status);
    }

    private static Task<HealthCheckResult> Check(RecordingQueue queue)
    {
        var registration = new HealthCheckRegistration("data-access-audit", new RecordingHealthCheck(queue), failureStatus: null, tags: null);
        return new RecordingHealthCheck(queue).CheckHealthAsync(new HealthCheckContext { Registration = registration }, TestContext.Current.CancellationToken);
    }
}
