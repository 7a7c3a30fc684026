using DataAccessAudit.Log;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

public sealed class FileLogKeyRingTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    private string KeyFile => Path.Combine(_directory, "keys", "audit.keys");

    [Fact]
    public void Generate_Write_Read_GivesTheSameRandomKey_InAFileOnlyItsOwnerCanRead()
    {
        var ring = FileLogKeyRing.Generate("2026-11");

        ring.Write(KeyFile);
        var read = FileLogKeyRing.Read(KeyFile);

        Assert.Equal("2026-11", read.CurrentKeyId);
        Assert.Equal(FileLogKeyRing.GeneratedKeyLength, read.Keys["2026-11"].Length);
        Assert.Equal(ring.Keys["2026-11"], read.Keys["2026-11"]);
        Assert.NotEqual(ring.Keys["2026-11"], FileLogKeyRing.Generate("2026-11").Keys["2026-11"]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }

        Assert.Equal([Path.GetFileName(KeyFile)], Directory.GetFiles(Path.GetDirectoryName(KeyFile)!).Select(Path.GetFileName));
    }

    [Fact]
    public void WithNewKey_AddsTheNewestKey_AndAWriterChainsWithItWhileTheFileVerifiesBothSegments()
    {
        var first = FileLogKeyRing.Generate("k-a");
        LogFixture.WriteLog(Options(first), 3);
        var rotated = first.WithNewKey("k-b");
        rotated.Write(KeyFile);
        LogFixture.WriteLog(Options(FileLogKeyRing.Read(KeyFile)), 2, first: 3);

        var result = FileLogVerifier.Verify(_directory, FileLogKeyRing.Read(KeyFile).Keys, TestContext.Current.CancellationToken);

        Assert.Equal("k-b", rotated.CurrentKeyId);
        Assert.Equal(LogVerdict.Verified, result.Verdict);
        Assert.Equal(5, result.Events);
        Assert.Equal(2, result.Segments);
        Assert.Throws<ArgumentException>(() => rotated.WithNewKey("k-a"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n\n   \n# another\n")]
    public void Read_FileWithoutAKey_IsAFormatErrorNamingTheFile(string text)
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "empty.keys");
        File.WriteAllText(path, text);

        var exception = Assert.Throws<FormatException>(() => FileLogKeyRing.Read(path));

        Assert.StartsWith($"{path}: holds no key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Directory_SaysItIsADirectory()
    {
        Directory.CreateDirectory(_directory);

        var exception = Assert.Throws<IOException>(() => FileLogKeyRing.Read(_directory));

        Assert.Equal($"'{_directory}' is a directory; expected a key file (one 'id:base64' key a line).", exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void Generate_InvalidId_Throws(string id)
    {
        Assert.Throws<ArgumentException>(() => FileLogKeyRing.Generate(id));
    }

    [Fact]
    public void Write_OverAnExistingFile_ReplacesItWhole()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        File.WriteAllText(KeyFile, new string('x', 10_000));

        FileLogKeyRing.Generate("k1").Write(KeyFile);

        Assert.Equal(["k1"], FileLogKeyRing.Read(KeyFile).Keys.Keys);
    }

    [Fact]
    public void WithNewKey_Write_KeepsTheFileAsItWasAndAppendsTheNewKey()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        var old = FileLogKeyRing.Generate("k-a");
        var annotated = $"# production chain keys: owner compliance@example.com, rotate monthly\r\n\r\nk-a:{Convert.ToBase64String(old.Keys["k-a"])}   # made 2026-11-01";
        File.WriteAllText(KeyFile, annotated);
        Assert.Throws<FormatException>(() => FileLogKeyRing.Read(KeyFile));

        // A comment after a key is not part of the format; the annotated file is the same without it.
        annotated = annotated[..annotated.LastIndexOf("   #", StringComparison.Ordinal)];
        File.WriteAllText(KeyFile, annotated);
        var rotated = FileLogKeyRing.Read(KeyFile).WithNewKey("k-b");
        rotated.Write(KeyFile);

        var text = File.ReadAllText(KeyFile);
        Assert.Equal($"{annotated}\nk-b:{Convert.ToBase64String(rotated.Keys["k-b"])}\n", text);
        Assert.Equal(["k-a", "k-b"], FileLogKeyRing.Read(KeyFile).Keys.Keys);
    }

    [Fact]
    public void Write_ThroughASymbolicLink_ReplacesTheFileItPointsTo_AndKeepsTheLink()
    {
        var target = Path.Combine(_directory, "secrets", "audit.keys");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        FileLogKeyRing.Generate("k-a").Write(target);
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        File.CreateSymbolicLink(KeyFile, target);

        FileLogKeyRing.Read(KeyFile).WithNewKey("k-b").Write(KeyFile);

        Assert.NotNull(new FileInfo(KeyFile).LinkTarget);
        Assert.Equal(["k-a", "k-b"], FileLogKeyRing.Read(target).Keys.Keys);
        Assert.Equal([Path.GetFileName(target)], Directory.GetFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private FileLogOptions Options(FileLogKeyRing ring)
    {
        var options = new FileLogOptions { Directory = _directory };
        ring.ApplyTo(options);
        return options;
    }
}
