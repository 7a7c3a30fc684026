using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

public sealed class SmallFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("small-file-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void ReadAllBytes_FileOfTheBound_IsReadWhole()
    {
        var path = Path.Combine(_directory.FullName, "policy.json");
        var bytes = Enumerable.Range(0, SmallFile.MaxBytes).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(path, bytes);

        Assert.Equal(bytes, SmallFile.ReadAllBytes(path));
    }

    [Fact]
    public void ReadAllBytes_FileOneByteOverTheBound_ThrowsNamingTheFileAndTheBound()
    {
        var path = Path.Combine(_directory.FullName, "key");
        File.WriteAllBytes(path, new byte[SmallFile.MaxBytes + 1]);

        var exception = Assert.Throws<IOException>(() => SmallFile.ReadAllBytes(path));

        Assert.StartsWith($"'{path}' holds more than 1,048,576 bytes (1 MiB)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllBytes_DeviceWithoutEnd_ThrowsAtTheBound()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "/dev/zero is a Unix device");

        var exception = Assert.Throws<IOException>(() => SmallFile.ReadAllBytes("/dev/zero"));

        Assert.Contains("'/dev/zero' holds more than 1,048,576 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllText_ByteOrderMark_IsDecodedAsFileReadAllTextDecodesIt()
    {
        var path = Path.Combine(_directory.FullName, "keys");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "demo-1:abc\n"u8]);

        Assert.Equal(File.ReadAllText(path), SmallFile.ReadAllText(path));
    }
}
