using DataAccessAudit.Log;
using Microsoft.Extensions.Logging.Testing;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyFileExposureTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    private string KeyFile => Path.Combine(_directory, "audit.keys");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(0b110_000_000, null)]
    [InlineData(0b100_000_000, null)]
    [InlineData(0b110_100_100, "0644")]
    [InlineData(0b110_100_000, "0640")]
    [InlineData(0b110_000_100, "0604")]
    [InlineData(0b110_010_000, "0620")]
    [InlineData(0b111_000_001, "0701")]
    public void ModeOpenToOthers_GroupOrOtherBits_GivesTheModeInOctal(int mode, string? expected)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has access lists, not modes");
        WriteKeyFile((UnixFileMode)mode);

        Assert.Equal(expected, KeyFileExposure.ModeOpenToOthers(KeyFile));
    }

    [Fact]
    public void ModeOpenToOthers_ALinkToAnExposedKey_IsTheKeysMode()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has access lists, not modes");
        WriteKeyFile(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var link = Path.Combine(_directory, "link.keys");
        File.CreateSymbolicLink(link, KeyFile);

        Assert.Equal("0644", KeyFileExposure.ModeOpenToOthers(link));
    }

    [Fact(Timeout = 10_000)]
    public async Task ModeOpenToOthers_AFifoOthersCanRead_IsNull_WithoutWaitingForAWriter()
    {
        // A key given through a pipe was read from it already: opening it again would wait for a writer that is gone.
        Assert.SkipUnless(OperatingSystem.IsLinux(), "mkfifo is a Linux test here");
        Directory.CreateDirectory(_directory);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", ["-m", "644", KeyFile]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var mode = await Task.Run(() => KeyFileExposure.ModeOpenToOthers(KeyFile), TestContext.Current.CancellationToken);

        Assert.Null(mode);
    }

    [Fact]
    public void ModeOpenToOthers_MissingFile_IsNull_ForTheReadToReport()
    {
        Assert.Null(KeyFileExposure.ModeOpenToOthers(KeyFile));
    }

    [Fact]
    public void Warning_NamesTheFileTheModeWhatItExposesAndTheFix()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has access lists, not modes");
        WriteKeyFile(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        Assert.Equal(
            $"the key file '{KeyFile}' can be read or written by others than its owner (mode 0640): whoever reads it can rewrite the log so that it still verifies. Make it the owner's alone: chmod 600 '{KeyFile}'.",
            KeyFileExposure.Warning(KeyFile, KeyFileExposure.ChainKey));
    }

    [Theory]
    [InlineData(0b110_100_100, true)]
    [InlineData(0b110_000_000, false)]
    public async Task FileLog_KeyFileOthersCanRead_WarnsOnOpenNamingTheFileAndMode_AndStillWrites(int mode, bool warned)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has access lists, not modes");
        FileLogKeyRing.Generate("k1").Write(KeyFile);
        File.SetUnixFileMode(KeyFile, (UnixFileMode)mode);
        var logger = new FakeLogger<FileLog>();
        var log = Path.Combine(_directory, "log");

        using (var fileLog = new FileLog(new FileLogOptions { Directory = log, KeyFile = KeyFile }, new FakeClock(LogFixture.Start), logger))
        {
            await fileLog.WriteAsync(new[] { LogFixture.Record(0) }, TestContext.Current.CancellationToken);
        }

        var exposed = logger.Collector.GetSnapshot().Where(entry => entry.Id.Id == 4110).ToList();
        Assert.Equal(warned, exposed.Count == 1);
        if (warned)
        {
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, exposed[0].Level);
            Assert.Equal((KeyFile, "0644"), (exposed[0].GetStructuredStateValue("KeyFile"), exposed[0].GetStructuredStateValue("Mode")));
        }

        Assert.Equal(LogVerdict.Verified, FileLogVerifier.Verify(log, FileLogKeyRing.Read(KeyFile).Keys, TestContext.Current.CancellationToken).Verdict);
    }

    private void WriteKeyFile(UnixFileMode mode)
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(KeyFile, "k1:AAAA\n");
        File.SetUnixFileMode(KeyFile, mode);
    }
}
