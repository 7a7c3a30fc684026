using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Transparency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Transparency;

// Retention in a log whose checkpoints are signed: a verifier holding only the public key accepts that the oldest
// records are gone only on a removal record the checkpoint signs, so the writer deletes the segments only once a
// checkpoint covers that record. Verified at every step, as an auditor may verify at any moment.
public sealed class RetentionUnderCheckpointsTests : IDisposable
{
    private static readonly NoteSigningKey Key = NoteSigningKey.Generate("audit.example.com/retention");

    private readonly string _directory = LogFixture.NewDirectory();
    private readonly FakeClock _clock = new(LogFixture.Start);
    private int _next;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Retention_KeepsTheSegmentsUntilACheckpointCoversTheRemovalRecord_AndTheLogVerifiesThroughout()
    {
        using var log = OpenLog();
        WriteDays(log, 3);
        var oldest = LogFixture.Segments(_directory)[0];

        Write(log);   // day 3 starts a segment: the oldest expired, its removal is recorded

        Assert.True(File.Exists(oldest));
        Assert.Single(RemovalRecords());
        AssertIntact(removed: 0);

        _clock.Advance(Duration.FromSeconds(5));
        Write(log);   // no checkpoint covers the removal record yet
        Assert.True(File.Exists(oldest));
        AssertIntact(removed: 0);

        FileLogTree.Checkpoint(_directory, Key);
        Write(log);   // within a second of the last look: not asked again yet
        Assert.True(File.Exists(oldest));

        _clock.Advance(Duration.FromSeconds(1));
        Write(log);

        Assert.False(File.Exists(oldest));
        AssertIntact(removed: 10);   // the first day's ten events
        FileLogTree.Checkpoint(_directory, Key);
        AssertIntact(removed: 10);
    }

    [Fact]
    public void Retention_WriterRestartedBeforeTheCheckpoint_RecordsTheRemovalAgain_AndDeletesOnceOneIsCovered()
    {
        var log = OpenLog();
        WriteDays(log, 3);
        var oldest = LogFixture.Segments(_directory)[0];
        Write(log);
        log.Dispose();

        using (var reopened = OpenLog())
        {
            Write(reopened);
            Assert.True(File.Exists(oldest));
            Assert.Equal(2, RemovalRecords().Count);
            AssertIntact(removed: 0);

            FileLogTree.Checkpoint(_directory, Key);
            _clock.Advance(Duration.FromSeconds(1));
            Write(reopened);
        }

        Assert.False(File.Exists(oldest));
        Assert.Equal(2, RemovalRecords().Count);
        AssertIntact(removed: 10);
    }

    [Fact]
    public void Retention_ACheckpointThatCannotBeParsed_KeepsTheSegments()
    {
        using var log = OpenLog();
        WriteDays(log, 3);
        var oldest = LogFixture.Segments(_directory)[0];
        Write(log);
        File.WriteAllText(LogTree.CheckpointPath(_directory), "not a checkpoint\n");

        _clock.Advance(Duration.FromSeconds(1));
        Write(log);

        Assert.True(File.Exists(oldest));
        Assert.Equal(0, LogTree.CheckpointedRecords(_directory));
    }

    [Fact]
    public void Retention_WaitingADayForACheckpoint_WarnsOnce_NamingTheRecordItWaitsFor()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<FileLog>();
        using var log = OpenLog(logger);
        WriteDays(log, 3);
        Write(log);
        var removal = RemovalRecords().Single();
        var removalSequence = System.Text.Json.JsonDocument.Parse(removal).RootElement.GetProperty("seq").GetInt64();

        _clock.Advance(Duration.FromHours(23));
        Write(log);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning);

        _clock.Advance(Duration.FromHours(1));
        Write(log);
        _clock.Advance(Duration.FromHours(1));
        Write(log);

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal("RemovalStillAwaitingCheckpoint", warning.Id.Name);
        Assert.Contains($"removal record at sequence {removalSequence}", warning.Message, StringComparison.Ordinal);
        Assert.Contains("the last checkpoint covers 30 records", warning.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(LogFixture.Segments(_directory)[0]));
    }

    [Fact]
    public void Retention_InALogWithoutCheckpoints_DeletesTheSegmentsAtOnce()
    {
        using var log = OpenLog();
        for (var day = 0; day < 3; day++)
        {
            Write(log);
            _clock.Advance(Duration.FromDays(1));
        }

        var oldest = LogFixture.Segments(_directory)[0];
        Write(log);

        Assert.False(File.Exists(oldest));
        Assert.Null(LogTree.CheckpointedRecords(_directory));
        var chain = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(chain.IsIntact, chain.ToString());
        Assert.Equal(10, chain.RemovedUpToSequence);
    }

    [Fact]
    public async Task AddFileLog_WithCheckpointsSignedElsewhere_WaitsForOneToCoverTheRemoval()
    {
        using var host = BuildHost();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var auditor = host.Services.GetRequiredService<IAccessAuditor>();
        for (var day = 0; day < 3; day++)
        {
            auditor.Record(LogFixture.Event(_next++));
            FileLogTree.Checkpoint(_directory, Key);   // as an hourly 'access-report checkpoint' would
            _clock.Advance(Duration.FromDays(1));
        }

        var oldest = LogFixture.Segments(_directory)[0];
        auditor.Record(LogFixture.Event(_next++));
        Assert.True(File.Exists(oldest));
        AssertIntact(removed: 0);

        FileLogTree.Checkpoint(_directory, Key);
        _clock.Advance(Duration.FromSeconds(1));
        auditor.Record(LogFixture.Event(_next++));
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.False(File.Exists(oldest));
        AssertIntact(removed: 1);
    }

    [Fact]
    public async Task AddFileLogCheckpoints_OnALogWithoutACheckpointYet_RetentionWaitsForTheFirst_AndTheLogCanStillBeSigned()
    {
        // Written for days without checkpoints or retention, as a log is before both are turned on.
        using (var before = new FileLog(LogFixture.Options(_directory, configure: o => o.RotationInterval = TimeSpan.FromDays(1)), _clock))
        {
            for (var day = 0; day < 4; day++)
            {
                Write(before);
                _clock.Advance(Duration.FromDays(1));
            }
        }

        var keyFile = Path.Combine(_directory + "-key", "log.key");
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        Key.Save(keyFile);
        var oldest = LogFixture.Segments(_directory)[0];
        using (var host = BuildHost(audit => audit.AddFileLogCheckpoints(o => { o.KeyFile = keyFile; o.Interval = TimeSpan.FromDays(1); })))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            var auditor = host.Services.GetRequiredService<IAccessAuditor>();
            auditor.Record(LogFixture.Event(_next++));   // opens the log: the oldest segments expired, no checkpoint yet
            Assert.True(File.Exists(oldest));

            host.Services.GetRequiredService<CheckpointWriter>().CheckpointNow();
            _clock.Advance(Duration.FromSeconds(1));
            auditor.Record(LogFixture.Event(_next++));
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.False(File.Exists(oldest));
        var tree = FileLogTree.Verify(_directory, [Key.VerifierKey], null, TestContext.Current.CancellationToken);
        Assert.True(tree.IsIntact, tree.ToString());
        Assert.True(tree.RemovedUpToSequence > 0, tree.ToString());
        Directory.Delete(_directory + "-key", recursive: true);
    }

    // A host recording synchronously into the keyed log, rotated daily and kept two days, on the test's clock.
    private IHost BuildHost(Action<IDataAccessAuditBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(_clock);
        builder.Services.AddDataAccessAudit(audit =>
        {
            audit.AddFileLog(o =>
                {
                    o.Directory = _directory;
                    o.KeyId = LogFixture.KeyId;
                    o.Key = Convert.ToBase64String(LogFixture.Key);
                    o.RotationInterval = TimeSpan.FromDays(1);
                    o.Retention = TimeSpan.FromDays(2);
                })
                .ConfigureRecording(o => o.Durability = RecordingDurability.Synchronous);
            configure?.Invoke(audit);
        });
        return builder.Build();
    }

    private FileLog OpenLog(Microsoft.Extensions.Logging.ILogger<FileLog>? logger = null) => new(
        LogFixture.Options(_directory, configure: o =>
        {
            o.RotationInterval = TimeSpan.FromDays(1);
            o.Retention = TimeSpan.FromDays(2);
        }),
        _clock,
        logger)
    {
        CheckpointedRecords = LogTree.CheckpointedRecords,
    };

    // Ten events a day, each day checkpointed as a writer's checkpoints would.
    private void WriteDays(FileLog log, int days)
    {
        for (var day = 0; day < days; day++)
        {
            Write(log);
            FileLogTree.Checkpoint(_directory, Key);
            _clock.Advance(Duration.FromDays(1));
        }
    }

    private void Write(FileLog log, int count = 10)
    {
        var batch = Enumerable.Range(_next, count).Select(i => LogFixture.Record(i, _clock.GetCurrentInstant())).ToArray();
        _next += count;
        log.WriteAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        log.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    private List<string> RemovalRecords() =>
        [.. LogFixture.Segments(_directory).SelectMany(LogFixture.Lines).Where(l => l.Contains("\"type\":\"removal\"", StringComparison.Ordinal))];

    // Both verifiers: the tree's, with the public key only, and the chain's, with the chain key.
    private void AssertIntact(long removed)
    {
        var tree = FileLogTree.Verify(_directory, [Key.VerifierKey], null, TestContext.Current.CancellationToken);
        Assert.True(tree.IsIntact, tree.ToString());
        Assert.Equal(removed, tree.RemovedUpToSequence);
        var chain = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(chain.IsIntact, chain.ToString());
        Assert.Equal(removed, chain.RemovedUpToSequence);
    }
}
