using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

public sealed class FileLogDirectoryTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    [Fact]
    public void GetSegments_SegmentsAndLookalikes_GivesOnlySegmentsInNumberOrder()
    {
        Directory.CreateDirectory(_directory);
        foreach (var name in new[]
        {
            "segment-0000000010.jsonl", "segment-0000000002.jsonl", "segment-9999999999.jsonl", "segment-1.jsonl",
            "segment-00000000003.jsonl", "segment-0000000004.jsonl.torn-20261130T220000Z", "segment-000000000x.jsonl",
            "segment-0000000002 (copy).jsonl", "notes.txt",
        })
        {
            File.WriteAllText(Path.Combine(_directory, name), string.Empty);
        }

        Assert.Equal(
            ["segment-0000000002.jsonl", "segment-0000000010.jsonl", "segment-9999999999.jsonl"],
            FileLogDirectory.GetSegments(_directory).Select(Path.GetFileName));
        Assert.Equal(
            ["segment-0000000004.jsonl.torn-20261130T220000Z"],
            FileLogDirectory.GetTornFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void GetSegments_NoDirectory_IsEmpty()
    {
        Assert.Empty(FileLogDirectory.GetSegments(_directory));
        Assert.Empty(FileLogDirectory.GetTornFiles(_directory));
    }

    [Fact]
    public void GetSegments_LogTheLibraryWrote_GivesEverySegment()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory, configure: o => o.MaxSegmentSize = FileLogOptions.MinSegmentSize), 100);

        Assert.Equal(LogFixture.Segments(_directory), FileLogDirectory.GetSegments(_directory));
        Assert.True(FileLogDirectory.GetSegments(_directory).Count > 1);
    }

    [Fact]
    public void Verification_BeforeAnyRead_ThrowsNamingTheDirectory()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new FileLogReader(_directory).Verification);

        Assert.Contains(_directory, exception.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
