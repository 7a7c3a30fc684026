using System.Diagnostics.Metrics;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Tests.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NodaTime;

namespace DataAccessAudit.Tests.Diagnostics;

// The recording pipeline, as AddDataAccessAudit wires it, feeds the queue and write instruments.
public sealed class RecordingTelemetryTests
{
    [Fact]
    public async Task AddDataAccessAudit_RecordedAccessesWritten_RecordWriteDurationBatchSizeAndQueueDepth()
    {
        var sink = new InMemoryAccessEventSink();
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddDataAccessAudit(audit => audit.AddSink(sink))
            .BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var duration = new MetricCollector<double>(meterFactory, AuditTelemetry.MeterName, "data_access_audit.write.duration");
        using var batchSize = new MetricCollector<long>(meterFactory, AuditTelemetry.MeterName, "data_access_audit.write.batch.size");
        using var depth = new MetricCollector<long>(meterFactory, AuditTelemetry.MeterName, "data_access_audit.queue.depth");
        var auditor = services.GetRequiredService<IAccessAuditor>();

        auditor.Record(TelemetryAccesses.CrossBorder());
        auditor.Record(TelemetryAccesses.Domestic());
        await auditor.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, sink.Records.Count);
        Assert.Equal(2, batchSize.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(duration.GetMeasurementSnapshot(), m =>
        {
            Assert.True(m.Value >= 0);
            Assert.Empty(m.Tags);
        });
        Assert.NotEmpty(duration.GetMeasurementSnapshot());
        depth.RecordObservableInstruments();
        Assert.Equal(0, depth.LastMeasurement!.Value);
    }

    [Fact]
    public async Task AddDataAccessAudit_QueueFullInDropMode_CountsDroppedAccessesAsQueueFull()
    {
        using var gate = new ManualResetEventSlim(false);
        var sink = new BlockingSink(gate);
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddDataAccessAudit(audit => audit
                .AddSink(sink)
                .ConfigureRecording(options =>
                {
                    options.Capacity = 1024;
                    options.MaxBatchSize = 1;
                    options.FullMode = RecordingFullMode.Drop;
                }))
            .BuildServiceProvider();
        using var dropped = new MetricCollector<long>(
            services.GetRequiredService<IMeterFactory>(), AuditTelemetry.MeterName, "data_access_audit.queue.dropped");
        var auditor = services.GetRequiredService<IAccessAuditor>();

        for (var i = 0; i < 3000; i++)
        {
            auditor.Record(TelemetryAccesses.Domestic());
        }

        gate.Set();
        await auditor.FlushAsync(TestContext.Current.CancellationToken);

        var measurements = dropped.GetMeasurementSnapshot();
        Assert.NotEmpty(measurements);
        Assert.Equal(3000 - sink.Written, measurements.Sum(m => m.Value));
        Assert.All(measurements, m => Assert.Equal("queue_full", m.Tags["error.type"]));
    }

    [Fact]
    public async Task AddDataAccessAudit_WriteFailsThenResumes_RecordsOnlyWrittenBatchesInTheBatchSize()
    {
        using var sink = new GatedSink(new InMemoryAccessEventSink()) { Failing = true };
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddDataAccessAudit(audit => audit.AddSink(sink))
            .BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var duration = new MetricCollector<double>(meterFactory, AuditTelemetry.MeterName, "data_access_audit.write.duration");
        using var batchSize = new MetricCollector<long>(meterFactory, AuditTelemetry.MeterName, "data_access_audit.write.batch.size");
        var auditor = services.GetRequiredService<IAccessAuditor>();

        auditor.Record(TelemetryAccesses.Domestic());
        auditor.Record(TelemetryAccesses.Domestic());
        await Assert.ThrowsAsync<IOException>(async () => await auditor.FlushAsync(TestContext.Current.CancellationToken));
        sink.Failing = false;
        await auditor.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Contains(duration.GetMeasurementSnapshot(), m => m.Tags.ContainsKey("error.type"));
        Assert.All(batchSize.GetMeasurementSnapshot(), m => Assert.True(m.Value > 0, "a failed write wrote no batch"));
        Assert.Equal(2, batchSize.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task AddDataAccessAudit_WriteFails_TagsTheDurationWithTheExceptionsFullTypeName()
    {
        using var sink = new GatedSink(new InMemoryAccessEventSink()) { Failing = true };
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddDataAccessAudit(audit => audit.AddSink(sink))
            .BuildServiceProvider();
        using var duration = new MetricCollector<double>(
            services.GetRequiredService<IMeterFactory>(), AuditTelemetry.MeterName, "data_access_audit.write.duration");
        var auditor = services.GetRequiredService<IAccessAuditor>();

        auditor.Record(TelemetryAccesses.Domestic());
        await Assert.ThrowsAsync<IOException>(async () => await auditor.FlushAsync(TestContext.Current.CancellationToken));
        sink.Failing = false;
        await auditor.FlushAsync(TestContext.Current.CancellationToken);

        var failures = duration.GetMeasurementSnapshot().Where(m => m.Tags.ContainsKey("error.type")).ToArray();
        Assert.NotEmpty(failures);
        Assert.All(failures, failure => Assert.Equal("System.IO.IOException", failure.Tags["error.type"]));
    }

    [Fact]
    public async Task RecordingQueue_ShutDownWithAccessesNotWritten_CountsThemDroppedAsShutDown()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var diagnostics = new TelemetryInstruments(meterFactory, redactorProvider: null, loggerFactory: null);
        using var dropped = new MetricCollector<long>(meterFactory, AuditTelemetry.MeterName, "data_access_audit.queue.dropped");
        using var sink = new GatedSink(new InMemoryAccessEventSink()) { Failing = true };
        var queue = new RecordingQueue([sink], new RecordingOptions(), SystemClock.Instance, new RecordingTelemetry(diagnostics));
        queue.Enqueue(new AccessRecord(TelemetryAccesses.Domestic(), TelemetryAccesses.Decide(TelemetryAccesses.Domestic())));
        queue.Enqueue(new AccessRecord(TelemetryAccesses.CrossBorder(), TelemetryAccesses.Decide(TelemetryAccesses.CrossBorder())));
        queue.Enqueue(new AccessRecord(TelemetryAccesses.Domestic(), TelemetryAccesses.Decide(TelemetryAccesses.Domestic())));

        await Assert.ThrowsAsync<IOException>(() => queue.StopAsync(TestContext.Current.CancellationToken));

        var measurement = Assert.Single(dropped.GetMeasurementSnapshot());
        Assert.Equal(3, measurement.Value);
        Assert.Equal("shut_down", measurement.Tags["error.type"]);

        // Disposing a queue that lost accesses reports the loss again.
        await Assert.ThrowsAsync<IOException>(async () => await queue.DisposeAsync());
    }

    [Fact]
    public async Task RecordingQueue_ShutDownBeforeTheGapOfDroppedAccessesWasWritten_CountsEveryAccessNotWritten()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var diagnostics = new TelemetryInstruments(meterFactory, redactorProvider: null, loggerFactory: null);
        using var dropped = new MetricCollector<long>(meterFactory, AuditTelemetry.MeterName, "data_access_audit.queue.dropped");
        using var sink = new GatedSink(new InMemoryAccessEventSink());
        sink.Close();
        var options = new RecordingOptions { Capacity = 1024, MaxBatchSize = 1, FullMode = RecordingFullMode.Drop };
        var queue = new RecordingQueue([sink], options, SystemClock.Instance, new RecordingTelemetry(diagnostics));
        var record = new AccessRecord(TelemetryAccesses.Domestic(), TelemetryAccesses.Decide(TelemetryAccesses.Domestic()));

        // The writer holds its first batch at the gate, so the queue fills and drops the rest; then the batch fails,
        // and the auditor shuts down before any write (and so any gap record) succeeds.
        for (var i = 0; i < 3000; i++)
        {
            queue.Enqueue(record);
        }

        sink.Failing = true;
        sink.Open();
        await Assert.ThrowsAsync<IOException>(() => queue.StopAsync(TestContext.Current.CancellationToken));

        var measurements = dropped.GetMeasurementSnapshot();
        Assert.Equal(3000, measurements.Sum(m => m.Value));
        Assert.Equal(queue.DroppedCount, measurements.Where(m => (string?)m.Tags["error.type"] == "queue_full").Sum(m => m.Value));
        Assert.Equal(3000 - queue.DroppedCount, measurements.Where(m => (string?)m.Tags["error.type"] == "shut_down").Sum(m => m.Value));

        // Disposing a queue that lost accesses reports the loss again.
        await Assert.ThrowsAsync<IOException>(async () => await queue.DisposeAsync());
    }

    // Holds the background writer on its first batch until the gate opens, so the queue fills.
    private sealed class BlockingSink(ManualResetEventSlim gate) : IAccessEventSink
    {
        private int _written;

        public int Written => Volatile.Read(ref _written);

        public ValueTask WriteAsync(ReadOnlyMemory<AccessRecord> batch, CancellationToken cancellationToken)
        {
            gate.Wait(cancellationToken);
            Interlocked.Add(ref _written, batch.Length);
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
