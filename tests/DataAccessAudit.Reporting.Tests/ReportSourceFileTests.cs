using System.Security.Cryptography;

namespace DataAccessAudit.Reporting.Tests;

public sealed class ReportSourceFileTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData((3 << 20) + 5)]
    public void Read_FileOfAnySizeAroundItsReadBlocks_HasTheSizeAndSha256OfEveryByte(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);

            var file = ReportSourceFile.Read(path);

            Assert.Equal(length, file.Size);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), file.Sha256);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
