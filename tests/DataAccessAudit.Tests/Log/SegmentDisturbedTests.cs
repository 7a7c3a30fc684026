using DataAccessAudit.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

// What the writer does when something other than the log removes, renames or cuts the segment it is appending to: a
// cleanup script, or logrotate pointed at the log directory (its default renames the file and its copytruncate mode
// cuts it to nothing). Appending on as before would write acknowledged records into a file that is gone, that no
// longer carries a segment's name, or that starts with a hole of zeros where the cut records were.
public sealed class SegmentDisturbedTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public static TheoryData<string> Disturbances => ["deleted", "renamed", "copytruncate"];

    [Theory]
    [MemberData(nameof(Disturbances))]
    public async Task Write_AfterTheSegmentWasRemovedRenamedOrCut_GoesToANewSegment_LoggedAsAnError(string disturbance)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The writer notices a disturbed segment where statx(2) tells it; elsewhere it cannot look.");
        var logger = new FakeLogger<FileLog>();
        string disturbed;
        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start), logger))
        {
            await log.WriteAsync(Enumerable.Range(0, 5).Select(i => LogFixture.Record(i)).ToArray(), TestContext.Current.CancellationToken);
            await log.FlushAsync(TestContext.Current.CancellationToken);
            disturbed = LogFixture.OnlySegment(_directory);
            Disturb(disturbed, disturbance);

            await log.WriteAsync(Enumerable.Range(5, 5).Select(i => LogFixture.Record(i)).ToArray(), TestContext.Current.CancellationToken);
            await log.FlushAsync(TestContext.Current.CancellationToken);
        }

        // The records written after the disturbance are in a segment of their own, whole, after the last one the
        // disturbed segment held: a verifier reports the disturbed segment, and reads every later record.
        var current = LogFixture.Segments(_directory)[^1];
        Assert.NotEqual(disturbed, current);
        var lines = LogFixture.Lines(current);
        Assert.Equal(6, lines.Count); // the header and the five records
        Assert.Contains("\"prevSeq\":5,", lines[0], StringComparison.Ordinal);
        Assert.All(Enumerable.Range(5, 5), i => Assert.Contains($"\"id\":\"e-{i}\"", lines[i - 4], StringComparison.Ordinal));
        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var ids = reader.Read(_ => { }).Select(r => r.Event.Id).ToList();
        Assert.Equal(LogVerdict.Broken, reader.Verification.Verdict);
        Assert.Equal(Enumerable.Range(5, 5).Select(i => $"e-{i}"), ids.Where(id => int.Parse(id[2..], System.Globalization.CultureInfo.InvariantCulture) >= 5));

        var logged = Assert.Single(logger.Collector.GetSnapshot(), entry => entry.Id.Id == 4109);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains(disturbed, logged.Message, StringComparison.Ordinal);
        Assert.Contains(disturbance == "copytruncate" ? "cut from" : disturbance == "deleted" ? "deleted" : "renamed or replaced", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_AfterTheDirectoryWasRemoved_FailsNamingIt_UntilItIsBack_LoggedOnce()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The writer notices a disturbed segment where statx(2) tells it; elsewhere it cannot look.");
        var logger = new FakeLogger<FileLog>();
        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start), logger))
        {
            await log.WriteAsync(new[] { LogFixture.Record(0) }, TestContext.Current.CancellationToken);
            await log.FlushAsync(TestContext.Current.CancellationToken);
            Directory.Delete(_directory, recursive: true);

            // Retried as the recording queue retries a failed write: the records stay with the caller.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var failure = await Assert.ThrowsAsync<IOException>(() => log.WriteAsync(new[] { LogFixture.Record(1) }, TestContext.Current.CancellationToken).AsTask());
                Assert.Contains(Path.Combine(_directory, "segment-"), failure.Message, StringComparison.Ordinal);
                Assert.Contains("Nothing already recorded is lost", failure.Message, StringComparison.Ordinal);
            }

            Directory.CreateDirectory(_directory);
            await log.WriteAsync(new[] { LogFixture.Record(1) }, TestContext.Current.CancellationToken);
            await log.FlushAsync(TestContext.Current.CancellationToken);
        }

        var lines = LogFixture.Lines(Assert.Single(LogFixture.Segments(_directory)));
        Assert.Equal(2, lines.Count);
        Assert.Contains("\"prevSeq\":1,", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"id\":\"e-1\"", lines[1], StringComparison.Ordinal);
        var logged = Assert.Single(logger.Collector.GetSnapshot(), entry => entry.Id.Id == 4109);
        Assert.Contains("was deleted", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_ToAnUndisturbedSegment_StaysInIt()
    {
        var logger = new FakeLogger<FileLog>();
        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start), logger))
        {
            for (var i = 0; i < 10; i++)
            {
                await log.WriteAsync(new[] { LogFixture.Record(i) }, TestContext.Current.CancellationToken);
                await log.FlushAsync(TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(11, LogFixture.Lines(LogFixture.OnlySegment(_directory)).Count);
        Assert.True(FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), entry => entry.Id.Id == 4109);
    }

    private static void Disturb(string segment, string disturbance)
    {
        switch (disturbance)
        {
            case "deleted":
                File.Delete(segment);
                break;
            case "renamed":
                // logrotate's default: the file moves aside and a new empty one takes its name.
                File.Move(segment, segment + ".1");
                File.WriteAllBytes(segment, []);
                break;
            default:
                // logrotate's copytruncate: a copy is kept and the file is cut to nothing in place.
                File.Copy(segment, segment + ".1");
                using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                    file.SetLength(0);
                }

                break;
        }
    }
}
