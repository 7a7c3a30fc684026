using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Transparency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Transparency;

public sealed class CheckpointWriterTests : IDisposable
{
    private readonly string _log = LogFixture.NewDirectory();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), "daa-log-tests", Guid.NewGuid().ToString("N") + ".key");
    private readonly NoteSigningKey _key = NoteSigningKey.Generate("audit.example.com/writer");

    public CheckpointWriterTests() => _key.Save(_keyFile);

    public void Dispose()
    {
        File.Delete(_keyFile);
        if (Directory.Exists(_log))
        {
            Directory.Delete(_log, recursive: true);
        }
    }

    [Fact]
    public void Writer_SignsWhatIsWrittenPublishesItAndSignsALastCheckpointWhenDisposed()
    {
        var sink = new CollectingSink();
        var writer = new CheckpointWriter(Options.Create(LogFixture.Options(_log)), Options.Create(new CheckpointOptions { KeyFile = _keyFile }), [sink]);

        Assert.Null(writer.CheckpointNow());
        LogFixture.WriteLog(LogFixture.Options(_log), 25);
        var first = writer.CheckpointNow();
        Assert.NotNull(first);
        Assert.Equal(25, Checkpoint.Open(first.ToString(), [_key.VerifierKey]).Checkpoint.TreeSize);
        writer.CheckpointNow();
        Assert.Single(sink.Published);

        LogFixture.WriteLog(LogFixture.Options(_log), 5, first: 25);
        writer.Dispose();

        Assert.Equal(2, sink.Published.Count);
        var result = FileLogTree.Verify(_log, [_key.VerifierKey], first, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(30, result.Checkpoint!.TreeSize);
    }

    [Fact]
    public void Writer_KeyFileNowHoldsACosignerKey_FailsThatCheckpointLoggedAndTheHostKeepsRunning()
    {
        LogFixture.WriteLog(LogFixture.Options(_log), 3);
        NoteSigningKey.Generate("audit.example.com/witness", cosigner: true).Save(_keyFile + ".cosigner");
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<CheckpointWriter>();
        var writer = new CheckpointWriter(Options.Create(LogFixture.Options(_log)), Options.Create(new CheckpointOptions { KeyFile = _keyFile + ".cosigner" }), [], logger);

        writer.Dispose(); // signs a last checkpoint: fails, logged, does not throw

        var failure = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Name == "CheckpointFailed");
        Assert.IsType<ArgumentException>(failure.Exception);
        Assert.False(File.Exists(Path.Combine(_log, "tree", "checkpoint")));
        File.Delete(_keyFile + ".cosigner");
    }

    [Theory]
    [InlineData(0b110_100_000, true)]
    [InlineData(0b110_000_000, false)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Writer_KeyFileOthersCanRead_WarnsWhenItLoadsTheKey_AndStillSigns(int mode, bool warned)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has access lists, not modes");
        File.SetUnixFileMode(_keyFile, (UnixFileMode)mode);
        LogFixture.WriteLog(LogFixture.Options(_log), 3);
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<CheckpointWriter>();
        var writer = new CheckpointWriter(Options.Create(LogFixture.Options(_log)), Options.Create(new CheckpointOptions { KeyFile = _keyFile }), [], logger);

        Assert.NotNull(writer.CheckpointNow());
        LogFixture.WriteLog(LogFixture.Options(_log), 2, first: 3);
        Assert.NotNull(writer.CheckpointNow());
        writer.Dispose();

        var exposed = logger.Collector.GetSnapshot().Where(r => r.Id.Name == "CheckpointKeyFileExposed").ToList();
        Assert.Equal(warned ? 1 : 0, exposed.Count); // once, when the key is loaded, not on every checkpoint
        if (warned)
        {
            Assert.Equal((_keyFile, "0640"), (exposed[0].GetStructuredStateValue("KeyFile"), exposed[0].GetStructuredStateValue("Mode")));
        }
    }

    [Fact]
    public void Writer_MissingKeyFile_FailsWithoutLosingRecords()
    {
        LogFixture.WriteLog(LogFixture.Options(_log), 3);
        var writer = new CheckpointWriter(Options.Create(LogFixture.Options(_log)), Options.Create(new CheckpointOptions { KeyFile = _keyFile + ".missing" }), []);

        Assert.Throws<FileNotFoundException>(() => writer.CheckpointNow());
        writer.Dispose(); // logs the failure, does not throw
        Assert.True(FileLogVerifier.Verify(_log, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
    }

    [Fact]
    public void Writer_KeyFileReplaced_SignsTheNextCheckpointWithTheNewKeyWithoutARestart()
    {
        var writer = new CheckpointWriter(Options.Create(LogFixture.Options(_log)), Options.Create(new CheckpointOptions { KeyFile = _keyFile }), []);
        LogFixture.WriteLog(LogFixture.Options(_log), 4);
        var before = writer.CheckpointNow()!;

        var rotated = NoteSigningKey.Generate("audit.example.com/writer");
        File.Delete(_keyFile);
        rotated.Save(_keyFile);
        LogFixture.WriteLog(LogFixture.Options(_log), 3, first: 4);
        var after = writer.CheckpointNow()!;
        writer.Dispose();

        Assert.Equal(4, Checkpoint.Open(before.ToString(), [_key.VerifierKey]).Checkpoint.TreeSize);
        Assert.Equal(7, Checkpoint.Open(after.ToString(), [rotated.VerifierKey]).Checkpoint.TreeSize);
        Assert.Throws<NoteVerificationException>(() => Checkpoint.Open(after.ToString(), [_key.VerifierKey]));
        var result = FileLogTree.Verify(_log, [_key.VerifierKey, rotated.VerifierKey], before, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.ToString());
    }

    [Fact]
    public async Task Host_WithARecordInterval_SignsOnceThatManyRecordsAreWritten_BeforeTheIntervalEnds()
    {
        var published = new TaskCompletionSource<SignedNote>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new FakeClock(LogFixture.Start));
        builder.Services.AddSingleton<ICheckpointSink>(new CallbackSink(note => published.TrySetResult(note)));
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o => o.Directory = _log)
            .AddFileLogCheckpoints(o => { o.KeyFile = _keyFile; o.Interval = TimeSpan.FromDays(1); o.RecordInterval = 10; })
            .ConfigureRecording(o => o.Durability = RecordingDurability.Synchronous));
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var auditor = host.Services.GetRequiredService<IAccessAuditor>();

        for (var i = 0; i < 9; i++)
        {
            auditor.Record(LogFixture.Event(i));
        }

        var early = published.Task.IsCompleted;
        auditor.Record(LogFixture.Event(9));
        var note = await published.Task.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.False(early);
        Assert.Equal(10, Checkpoint.Open(note.ToString(), [_key.VerifierKey]).Checkpoint.TreeSize);
    }

    [Fact]
    public async Task FileCheckpointSink_KeepsTheLatestCheckpointElsewhere_WholeAndUsableAsSince()
    {
        var copy = Path.Combine(_log + "-elsewhere", "nested", "checkpoint");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new FakeClock(LogFixture.Start));
        builder.Services.AddSingleton<ICheckpointSink>(new FileCheckpointSink(copy));
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o => o.Directory = _log)
            .AddFileLogCheckpoints(o => { o.KeyFile = _keyFile; o.Interval = TimeSpan.FromDays(1); })
            .ConfigureRecording(o => o.Durability = RecordingDurability.Synchronous));
        using (var host = builder.Build())
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            host.Services.GetRequiredService<IAccessAuditor>().Record(LogFixture.Event(1));
            host.Services.GetRequiredService<IAccessAuditor>().Record(LogFixture.Event(2));
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var kept = File.ReadAllText(copy);
        var result = FileLogTree.Verify(_log, [_key.VerifierKey], SignedNote.Parse(kept), TestContext.Current.CancellationToken);

        Assert.Equal(File.ReadAllText(Path.Combine(_log, "tree", "checkpoint")), kept);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(2, result.ConsistentFrom);
        Assert.Equal([Path.GetFileName(copy)], Directory.GetFiles(Path.GetDirectoryName(copy)!).Select(Path.GetFileName));
        Directory.Delete(_log + "-elsewhere", recursive: true);
    }

    [Fact]
    public async Task Host_RecordIntervalOutOfRange_FailsAtStartNamingIt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o => o.Directory = _log)
            .AddFileLogCheckpoints(o => { o.KeyFile = _keyFile; o.RecordInterval = 0; }));
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("CheckpointOptions.RecordInterval is 0: expected from 1 to 1000000000", exception.Message, StringComparison.Ordinal);
    }

    private sealed class CallbackSink(Action<SignedNote> published) : ICheckpointSink
    {
        public ValueTask PublishAsync(SignedNote checkpoint, CancellationToken cancellationToken)
        {
            published(checkpoint);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class CollectingSink : ICheckpointSink
    {
        public List<SignedNote> Published { get; } = [];

        public ValueTask PublishAsync(SignedNote checkpoint, CancellationToken cancellationToken)
        {
            Published.Add(checkpoint);
            return ValueTask.CompletedTask;
        }
    }
}
