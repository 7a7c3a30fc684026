using System.Diagnostics;
using DataAccessAudit.Log;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

// Something that is not a regular file under a segment's name: opening a FIFO for reading blocks until something
// writes to it, so a reader or writer that opened it would hang; each must fail at once, naming it.
public sealed class SegmentFileKindTests : IDisposable
{
    private const int Timeout = 60_000;

    private readonly string _directory = LogFixture.NewDirectory();

    public SegmentFileKindTests()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 3);
    }

    private string Second => Path.Combine(_directory, "segment-0000000002.jsonl");

    public static TheoryData<string, string> Entries => new()
    {
        { "fifo", "a FIFO (named pipe)" },
        { "directory", "a directory" },
        { "device", "a character device" },
    };

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Entries))]
    public async Task Verify_SegmentThatIsNotARegularFile_ThrowsNamingItAndWhatItIs(string entry, string kind)
    {
        Create(entry, Second);

        var exception = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken)));

        Assert.Equal($"'{Second}' is {kind}, not a log segment file; move it out of the log directory.", exception.Message);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Entries))]
    public async Task Read_SegmentThatIsNotARegularFile_ThrowsNamingItAndWhatItIs(string entry, string kind)
    {
        Create(entry, Second);
        var reader = new FileLogReader(_directory, LogFixture.Keys);

        var exception = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => reader.Read(_ => { }).Count(), TestContext.Current.CancellationToken));

        Assert.Contains($"'{Second}' is {kind}, not a log segment file", exception.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Entries))]
    public async Task Open_LastSegmentIsNotARegularFile_FailsNamingIt_AndTouchesNothing(string entry, string kind)
    {
        Create(entry, Second);
        var before = File.ReadAllBytes(Path.Combine(_directory, "segment-0000000001.jsonl"));
        using var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start));

        var exception = await Assert.ThrowsAsync<IOException>(() => Task.Run(() =>
            log.WriteAsync(new[] { LogFixture.Record(3) }, TestContext.Current.CancellationToken).AsTask(), TestContext.Current.CancellationToken));

        Assert.Contains($"cannot be opened for writing: '{Second}' is {kind}, not a log segment file", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(_directory, "segment-0000000001.jsonl")));
        Assert.False(File.Exists(Path.Combine(_directory, "segment-0000000003.jsonl")));
    }

    [Fact]
    public void GetSegments_SegmentThatIsADirectory_IsNotPassedOverAsIfDeleted()
    {
        Directory.CreateDirectory(Second);

        var exception = Assert.Throws<IOException>(() => FileLogDirectory.GetSegments(_directory));

        Assert.Contains("is a directory, not a log segment file", exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static void Create(string entry, string path)
    {
        switch (entry)
        {
            case "fifo":
                using (var mkfifo = Process.Start("mkfifo", [path]))
                {
                    mkfifo.WaitForExit();
                    Assert.Equal(0, mkfifo.ExitCode);
                }

                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            default:
                File.CreateSymbolicLink(path, "/dev/null");
                break;
        }
    }
}
