using DataAccessAudit.Log;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Transparency;
using Microsoft.Extensions.Options;

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
    public void Writer_MissingKeyFile_FailsWithoutLosingRecords()
    {
        LogFixture.WriteLog(LogFixture.Options(_log), 3);
        var writer = new CheckpointWriter(Options.Create(LogFixture.Options(_log)), Options.Create(new CheckpointOptions { KeyFile = _keyFile + ".missing" }), []);

        Assert.Throws<FileNotFoundException>(() => writer.CheckpointNow());
        writer.Dispose(); // logs the failure, does not throw
        Assert.True(FileLogVerifier.Verify(_log, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
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
