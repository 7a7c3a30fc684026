using System.Diagnostics;
using DataAccessAudit.Log;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Transparency;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Transparency;

// A writer process killed (SIGKILL) while it records and signs checkpoints: whatever the kill interrupted (a line, a
// tile, a checkpoint being replaced), the last checkpoint on disk still verifies, and the reopened log's next
// checkpoint extends it.
public sealed class CheckpointCrashTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), "daa-log-tests", Guid.NewGuid().ToString("N") + ".key");
    private readonly NoteSigningKey _key = NoteSigningKey.Generate("audit.example.com/crash");

    public CheckpointCrashTests() => _key.Save(_keyFile);

    public void Dispose()
    {
        File.Delete(_keyFile);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SigkillWhileRecordingAndSigning_TheLastCheckpointVerifies_AndTheNextOneExtendsIt()
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "DataAccessAudit.CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { writer, _directory, LogFixture.KeyId, Convert.ToBase64String(LogFixture.Key), _keyFile })
        {
            start.ArgumentList.Add(argument);
        }

        var (acknowledged, signed) = (0, 0);
        using (var process = Process.Start(start)!)
        {
            while ((acknowledged < 3000 || signed < 5) && await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                acknowledged += line.StartsWith("ack ", StringComparison.Ordinal) ? 1 : 0;
                signed += line.StartsWith("signed ", StringComparison.Ordinal) ? 1 : 0;
            }

            process.Kill();
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(signed >= 5, $"only {signed} checkpoints signed before the kill");
        var last = FileLogTree.ReadCheckpoint(_directory)!;
        var atCrash = FileLogTree.Verify(_directory, [_key.VerifierKey], cancellationToken: TestContext.Current.CancellationToken);

        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            await log.FlushAsync(TestContext.Current.CancellationToken);
        }

        var next = FileLogTree.Checkpoint(_directory, _key);
        var extended = FileLogTree.Verify(_directory, [_key.VerifierKey], since: last, TestContext.Current.CancellationToken);

        Assert.True(atCrash.IsIntact, atCrash.ToString());
        Assert.True(extended.IsIntact, extended.ToString());
        Assert.True(Checkpoint.Parse(next.Text).TreeSize >= Checkpoint.Parse(last.Text).TreeSize);
        Assert.True(FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
    }
}
