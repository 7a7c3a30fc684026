using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using DataAccessAudit.Tests.Log;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Recording;

public sealed class RecordingQueueTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();
    private readonly FakeClock _clock = new(LogFixture.Start);

    [Fact]
    public async Task Enqueue_EightThreadsOfAHundredThousand_NoneLostSequenceGapFreeChainIntact()
    {
        const int Threads = 8;
        const int PerThread = 100_000;
        var records = Enumerable.Range(0, 1000).Select(i => LogFixture.Record(i)).ToArray();
        using (var log = new FileLog(LogFixture.Options(_directory), _clock))
        {
            await using var queue = new RecordingQueue([log], new RecordingOptions { Capacity = 16 * 1024 }, _clock);
            var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                for (var i = 0; i < PerThread; i++)
                {
                    queue.Enqueue(records[(t + i) % records.Length]);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            await queue.FlushAsync(TestContext.Current.CancellationToken);
            Assert.Equal(Threads * PerThread, queue.DurableCount);
        }

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.Equal(Threads * PerThread, result.Events);
        Assert.Equal(Threads * PerThread, result.LastSequence);
    }

    [Fact]
    public async Task Enqueue_QueueFullInDropMode_CountsDropsAndWritesAGapRecord()
    {
        using var log = new FileLog(LogFixture.Options(_directory), _clock);
        using var sink = new GatedSink(log);
        await using var queue = new RecordingQueue([sink], new RecordingOptions { Capacity = 1024, FullMode = RecordingFullMode.Drop, MaxBatchSize = 64 }, _clock);
        sink.Close();
        for (var i = 0; i < 3000; i++)
        {
            queue.Enqueue(LogFixture.Record(i));
        }

        Assert.True(queue.DroppedCount > 0);
        sink.Open();
        await queue.FlushAsync(TestContext.Current.CancellationToken);

        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var events = reader.Read(problems.Add).Count();
        Assert.True(reader.Verification!.IsIntact);
        Assert.Equal(queue.DroppedCount, reader.Verification.DroppedEvents);
        Assert.Equal(3000, events + queue.DroppedCount);
        Assert.Empty(problems);
        var gap = Assert.Single(reader.IntegrityProblems);
        Assert.Contains($"dropped {queue.DroppedCount} accesses", gap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_QueueFullInBlockMode_WaitsForRoomAndLosesNothing()
    {
        var memory = new InMemoryAccessEventSink();
        using var sink = new GatedSink(memory);
        await using var queue = new RecordingQueue([sink], new RecordingOptions { Capacity = 1024, MaxBatchSize = 64 }, _clock);
        sink.Close();
        var producer = new Thread(() =>
        {
            for (var i = 0; i < 3000; i++)
            {
                queue.Enqueue(LogFixture.Record(i));
            }
        });
        producer.Start();
        Assert.True(SpinWait.SpinUntil(() => queue.BlockedProducers == 1, TimeSpan.FromSeconds(10)), "the producer should wait while the queue is full");
        Assert.True(producer.IsAlive);
        sink.Open();
        producer.Join();
        await queue.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"e-{i}"), memory.Records.Select(r => r.Event.Id));
        Assert.Equal(0, queue.DroppedCount);
    }

    [Fact]
    public async Task Enqueue_Synchronous_ReturnsOnlyWhenDurable_AndConcurrentCallersShareFlushes()
    {
        using var log = new FileLog(LogFixture.Options(_directory), _clock);
        using var sink = new GatedSink(log);
        await using var queue = new RecordingQueue([sink], new RecordingOptions { Durability = RecordingDurability.Synchronous }, _clock);
        queue.Enqueue(LogFixture.Record(0));
        Assert.Equal(1, queue.DurableCount);

        var threads = Enumerable.Range(0, 32).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                queue.Enqueue(LogFixture.Record((t * 50) + i + 1));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1601, queue.DurableCount);
        Assert.True(sink.Flushes < 1601, $"{sink.Flushes} flushes for 1601 records: group commit shares them");
        Assert.Equal(1601, FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).Events);
    }

    // An unreachable store leaves the recording calls working (accesses stay queued): its log line must not say they fail.
    [Fact]
    public async Task StoreUnavailable_IsLoggedAsSuch_AndRecordingGoesOn()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<RecordingQueue>();
        var sink = new UnreachableSink();
        await using var queue = new RecordingQueue([sink], new RecordingOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, _clock, logger: logger);
        queue.Enqueue(LogFixture.Record(0));

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await queue.FlushAsync(TestContext.Current.CancellationToken));
        queue.Enqueue(LogFixture.Record(1));

        var entry = logger.Collector.GetSnapshot().First(r => r.Exception is StoreUnavailableException);
        Assert.Equal((4004, "StoreUnavailable"), (entry.Id.Id, entry.Id.Name));
        Assert.Contains("recorded accesses stay queued (recording calls go on)", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Id.Id == 4001);
        sink.Reachable = true;
        await queue.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, queue.DurableCount);
    }

    // A store that refuses the app is a configuration error an operator can fix while the app runs: recording goes on
    // as through an outage, and the log line says refused, not unreachable.
    [Fact]
    public async Task StoreRefused_IsLoggedAsARefusalNotAnOutage_AndRecordingGoesOn()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<RecordingQueue>();
        var sink = new UnreachableSink { Refuses = true };
        await using var queue = new RecordingQueue([sink], new RecordingOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, _clock, logger: logger);
        queue.Enqueue(LogFixture.Record(0));

        await Assert.ThrowsAsync<StoreRefusedException>(async () => await queue.FlushAsync(TestContext.Current.CancellationToken));
        queue.Enqueue(LogFixture.Record(1));

        var entry = logger.Collector.GetSnapshot().First(r => r.Exception is StoreRefusedException);
        Assert.Equal((4005, "StoreRefused"), (entry.Id.Id, entry.Id.Name));
        Assert.Contains("the store refused this app", entry.Message, StringComparison.Ordinal);
        Assert.Contains("recorded accesses stay queued (recording calls go on)", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Id.Id is 4001 or 4004);
        sink.Refuses = false;
        sink.Reachable = true;
        await queue.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, queue.DurableCount);
    }

    [Fact]
    public async Task DisposeAsync_WithOneAccessNotWritten_SaysSoInTheSingular()
    {
        var sink = new UnreachableSink();
        var queue = new RecordingQueue([sink], new RecordingOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, _clock);
        queue.Enqueue(LogFixture.Record(0));

        var exception = await Assert.ThrowsAsync<IOException>(async () => await queue.DisposeAsync());

        Assert.Equal("The audit log could not be written when the auditor shut down (The store cannot be reached); 1 recorded access was not written.", exception.Message);
    }

    private sealed class UnreachableSink : IAccessEventSink
    {
        public volatile bool Reachable;

        // Answers but refuses the app (a wrong password) rather than cannot be reached.
        public volatile bool Refuses;

        public ValueTask WriteAsync(ReadOnlyMemory<DataAccessAudit.Policy.AccessRecord> batch, CancellationToken cancellationToken) =>
            Refuses ? throw new StoreRefusedException("The store refused the credentials of user 'audit'.", new IOException("28P01"))
            : Reachable ? ValueTask.CompletedTask : throw new StoreUnavailableException("The store cannot be reached.", new IOException("connection refused"));

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task WriteFailure_SurfacesToRecordAndFlush_AndNothingRecordedIsLostOnceWritable()
    {
        var memory = new InMemoryAccessEventSink();
        using var sink = new GatedSink(memory) { Failing = true };
        await using var queue = new RecordingQueue([sink], new RecordingOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, _clock);
        queue.Enqueue(LogFixture.Record(0));
        queue.Enqueue(LogFixture.Record(1));

        var flush = await Assert.ThrowsAsync<IOException>(async () => await queue.FlushAsync(TestContext.Current.CancellationToken));
        Assert.Contains("No space left on device", flush.Message, StringComparison.Ordinal);
        var record = Assert.Throws<IOException>(() => queue.Enqueue(LogFixture.Record(2)));
        Assert.Contains("not recorded", record.Message, StringComparison.Ordinal);

        sink.Failing = false;
        await queue.FlushAsync(TestContext.Current.CancellationToken);
        queue.Enqueue(LogFixture.Record(3));
        await queue.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["e-0", "e-1", "e-3"], memory.Records.Select(r => r.Event.Id));
    }

    [Fact]
    public async Task QueueDepth_WhileABatchFailsToWrite_CountsItsAccesses()
    {
        using var sink = new GatedSink(new InMemoryAccessEventSink()) { Failing = true };
        await using var queue = new RecordingQueue([sink], new RecordingOptions { FlushInterval = TimeSpan.FromSeconds(30) }, _clock);
        queue.Enqueue(LogFixture.Record(0));
        queue.Enqueue(LogFixture.Record(1));

        await Assert.ThrowsAsync<IOException>(async () => await queue.FlushAsync(TestContext.Current.CancellationToken));

        Assert.Equal(2, queue.QueueDepth);
        sink.Failing = false;
        await queue.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, queue.QueueDepth);
    }

    [Fact]
    public async Task WriteFailure_AfterAnUnflushedBatch_RetriesOncePerFlushIntervalAndFlushesWhatWasWritten()
    {
        var failing = false;
        var attempts = 0;
        using (var log = new FileLog(LogFixture.Options(_directory), _clock))
        {
            log.PositionedWrite = (handle, bytes, offset) =>
            {
                if (Volatile.Read(ref failing))
                {
                    Interlocked.Increment(ref attempts);
                    throw new IOException("No space left on device");
                }

                RandomAccess.Write(handle, bytes, offset);
            };

            // One access a batch, so that each wakes the writer; no flush falls due during the test.
            await using var queue = new RecordingQueue([log], new RecordingOptions { MaxBatchSize = 1, FlushInterval = TimeSpan.FromSeconds(30) }, _clock);
            queue.Enqueue(LogFixture.Record(0));
            await WaitUntil(() => queue.WrittenCount == 1);
            Assert.Equal(0, queue.DurableCount);

            Volatile.Write(ref failing, true);
            queue.Enqueue(LogFixture.Record(1));
            await WaitUntil(() => queue.IsFailing);
            for (var i = 2; i < 50; i++)
            {
                Assert.Throws<IOException>(() => queue.Enqueue(LogFixture.Record(i)));
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);

            Assert.Equal(1, Volatile.Read(ref attempts));
            Assert.Equal(1, queue.DurableCount);

            Volatile.Write(ref failing, false);
            await queue.FlushAsync(TestContext.Current.CancellationToken);
            Assert.Equal(2, queue.DurableCount);
        }

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.Equal(2, result.Events);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "timed out");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task StopAsync_DrainsTheQueue()
    {
        var memory = new InMemoryAccessEventSink();
        var queue = new RecordingQueue([memory], new RecordingOptions { FlushInterval = TimeSpan.FromHours(1) }, _clock);
        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue(LogFixture.Record(i));
        }

        await queue.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(100, memory.Records.Count);
        Assert.Throws<ObjectDisposedException>(() => queue.Enqueue(LogFixture.Record(100)));
        await queue.DisposeAsync();
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
