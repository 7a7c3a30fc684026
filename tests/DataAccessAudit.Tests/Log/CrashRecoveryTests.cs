using System.Diagnostics;
using DataAccessAudit.Log;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    [Fact]
    public async Task SigkillWhileWritingSynchronously_AfterReopenChainVerifiesAndEveryAcknowledgedEventIsThere()
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "DataAccessAudit.CrashWriter.dll");
        Assert.True(File.Exists(writer), $"the crash writer should be built next to the tests: {writer}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { writer, _directory, LogFixture.KeyId, Convert.ToBase64String(LogFixture.Key) })
        {
            start.ArgumentList.Add(argument);
        }

        var acknowledged = new List<string>();
        using (var process = Process.Start(start)!)
        {
            while (acknowledged.Count < 2000 && await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                acknowledged.Add(line["ack ".Length..]);
            }

            process.Kill(); // SIGKILL on Unix: no finally blocks, no flushing
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);

            // Acknowledgements already in the pipe were acknowledged too.
            while (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                acknowledged.Add(line["ack ".Length..]);
            }
        }

        Assert.True(acknowledged.Count >= 2000, $"only {acknowledged.Count} acknowledgements");

        // Reopening recovers a torn last line if the kill left one, and records the recovery.
        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            await log.FlushAsync(TestContext.Current.CancellationToken);
        }

        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var ids = reader.Read(problems.Add).Select(r => r.Event.Id).ToHashSet(StringComparer.Ordinal);
        Assert.True(reader.Verification!.IsIntact, reader.Verification.Break?.ToString());
        Assert.Empty(problems);
        Assert.All(reader.IntegrityProblems, p => Assert.StartsWith("recovery:", p.Message, StringComparison.Ordinal));
        Assert.All(acknowledged, id => Assert.Contains(id, ids));
    }

    [Fact]
    public async Task SecondWriterProcessOnTheSameDirectory_FailsAtStart_AndTheFirstLosesNothing()
    {
        var acknowledged = new List<string>();
        using (var first = StartWriter())
        {
            while (acknowledged.Count < 500 && await first.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                acknowledged.Add(line["ack ".Length..]);
            }

            using (var second = StartWriter())
            {
                var error = await second.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
                var output = await second.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
                await second.WaitForExitAsync(TestContext.Current.CancellationToken);

                Assert.Equal(3, second.ExitCode);
                Assert.Empty(output);
                Assert.Contains($"'{Path.GetFullPath(_directory)}' is already being written by another process", error, StringComparison.Ordinal);
                Assert.Contains("one writer", error, StringComparison.Ordinal);
            }

            // The first writer goes on recording after the second one gave up.
            var before = acknowledged.Count;
            while (acknowledged.Count < before + 500 && await first.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                acknowledged.Add(line["ack ".Length..]);
            }

            first.Kill();
            await first.WaitForExitAsync(TestContext.Current.CancellationToken);
            while (await first.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                acknowledged.Add(line["ack ".Length..]);
            }
        }

        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            await log.FlushAsync(TestContext.Current.CancellationToken);
        }

        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var ids = reader.Read(_ => { }).Select(r => r.Event.Id).ToHashSet(StringComparer.Ordinal);
        Assert.True(reader.Verification!.IsIntact, reader.Verification.ToString());
        Assert.All(acknowledged, id => Assert.Contains(id, ids));
    }

    private Process StartWriter()
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "DataAccessAudit.CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { writer, _directory, LogFixture.KeyId, Convert.ToBase64String(LogFixture.Key) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
