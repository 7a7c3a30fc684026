using DataAccessAudit.Log;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

// Something that is not a regular file under writer.lock: a reader asks whether the lock is held only when the last
// line is cut, and opening a FIFO for reading blocks until something writes to it. Readers must take such an entry for
// a lock no writer holds, without opening it, and the writer must refuse to start on it.
public sealed class WriterLockFileKindTests : IDisposable
{
    private const int Timeout = 60_000;

    private readonly string _directory = LogFixture.NewDirectory();

    public WriterLockFileKindTests()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 5);
    }

    private string Lock => Path.Combine(_directory, "writer.lock");

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(SegmentFileKindTests.Entries), MemberType = typeof(SegmentFileKindTests))]
    public async Task Verify_CutLastLineAndWriterLockIsNotARegularFile_IsTruncated(string entry, string kind)
    {
        _ = kind;
        PlantLock(entry);
        CutLastLine();

        var result = await Task.Run(() => FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        Assert.Equal(LogBreakKind.Truncated, result.Break?.Kind);
        Assert.Equal(6, result.Break!.Line);
        Assert.Equal(0, result.InProgressBytes);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(SegmentFileKindTests.Entries), MemberType = typeof(SegmentFileKindTests))]
    public async Task Read_CutLastLineAndWriterLockIsNotARegularFile_ReadsTheCompleteLinesAndReportsTheCut(string entry, string kind)
    {
        _ = kind;
        PlantLock(entry);
        CutLastLine();
        var reader = new FileLogReader(_directory, LogFixture.Keys);

        var events = await Task.Run(() => reader.Read(_ => { }).Count(), TestContext.Current.CancellationToken);

        Assert.Equal(4, events);
        Assert.Equal(LogVerdict.Broken, reader.Verification!.Verdict);
        Assert.Contains(reader.IntegrityProblems, p => p.Message.Contains("truncated", StringComparison.Ordinal));
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(SegmentFileKindTests.Entries), MemberType = typeof(SegmentFileKindTests))]
    public async Task Verify_IntactLogAndWriterLockIsNotARegularFile_IsVerified(string entry, string kind)
    {
        _ = kind;
        PlantLock(entry);

        var result = await Task.Run(() => FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        Assert.Equal(LogVerdict.Verified, result.Verdict);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(SegmentFileKindTests.Entries), MemberType = typeof(SegmentFileKindTests))]
    public async Task Open_WriterLockIsNotARegularFile_FailsNamingIt_AndTouchesNothing(string entry, string kind)
    {
        PlantLock(entry);
        var segment = LogFixture.OnlySegment(_directory);
        var before = File.ReadAllBytes(segment);

        var exception = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)).Dispose(), TestContext.Current.CancellationToken));

        Assert.Equal($"'{Lock}' is {kind}, not a writer lock file; move it out of the log directory.", exception.Message);
        Assert.Equal(before, File.ReadAllBytes(segment));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void PlantLock(string entry)
    {
        File.Delete(Lock);
        SegmentFileKindTests.Create(entry, Lock);
    }

    // The last event's line loses its end, as when a crash cut it; it stays line 6 of the segment.
    private void CutLastLine()
    {
        var segment = LogFixture.OnlySegment(_directory);
        var bytes = File.ReadAllBytes(segment);
        File.WriteAllBytes(segment, bytes[..^30]);
    }
}
