using System.Runtime.InteropServices;
using System.Security.Cryptography;
using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

public sealed class ChainHasherTests
{
    // By name: the engines are internal to the library.
    public static TheoryData<string> Engines => [.. Enum.GetNames<ChainHashEngine>()];

    [Fact]
    public void Create_WithoutTheOptIn_UsesOpenSslsProviders()
    {
        // The default must compute links through OpenSSL's providers (so a FIPS configuration applies): its EVP
        // interfaces called directly where libcrypto 3 is there, .NET's otherwise.
        Assert.False(ChainHasher.NativeRequested);
        using var keyed = ChainHasher.Create("k1", LogFixture.Key);
        using var unkeyed = ChainHasher.Create(null, null);

        // Wherever libcrypto 3 is there (not on a system with OpenSSL 1.1 only), the EVP engine must be the one in use.
        if (OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcrypto.so.3", out _))
        {
            Assert.True(OpenSslEvpHash.IsAvailable);
        }

        var expected = OpenSslEvpHash.IsAvailable ? ChainHashEngine.OpenSsl : ChainHashEngine.Platform;
        Assert.Equal(expected, keyed.Engine);
        Assert.Equal(expected, unkeyed.Engine);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Create_AnEngine_UsesItWhereAvailable(string engineName)
    {
        var engine = Enum.Parse<ChainHashEngine>(engineName);
        using var keyed = ChainHasher.Keyed("k1", LogFixture.Key, engine);
        using var unkeyed = ChainHasher.Unkeyed(engine);

        var available = engine switch
        {
            ChainHashEngine.OpenSsl => OpenSslEvpHash.IsAvailable,
            ChainHashEngine.OpenSslLowLevel => OpenSslSha256.IsAvailable,
            _ => true,
        };
        Assert.Equal(available ? engine : ChainHashEngine.Platform, keyed.Engine);
        Assert.Equal(available ? engine : ChainHashEngine.Platform, unkeyed.Engine);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Link_AnyKeyLengthAndBodyLength_EqualsHmacSha256(string engineName)
    {
        var engine = Enum.Parse<ChainHashEngine>(engineName);
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        Span<byte> expected = stackalloc byte[ChainHasher.Size];
        foreach (var keyLength in new[] { 0, 1, 32, 64, 65, 200 })
        {
            var random = new Random(keyLength);
            var key = new byte[keyLength];
            random.NextBytes(key);
            using var hasher = ChainHasher.Keyed("k1", key, engine);
            var previous = new byte[ChainHasher.Size];
            foreach (var length in BodyLengths())
            {
                random.NextBytes(previous);
                var body = new byte[length];
                random.NextBytes(body);

                hasher.Link(previous, body, link);
                HMACSHA256.HashData(key, [.. previous, .. body], expected);
                Assert.True(link.SequenceEqual(expected), $"{keyLength}-byte key, body of {length} bytes");

                hasher.LinkPrefix(previous, body, link);
                HMACSHA256.HashData(key, [.. previous, .. body, (byte)'}'], expected);
                Assert.True(link.SequenceEqual(expected), $"{keyLength}-byte key, prefix of {length} bytes");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Link_Unkeyed_EqualsSha256(string engineName)
    {
        var engine = Enum.Parse<ChainHashEngine>(engineName);
        var random = new Random(7);
        using var hasher = ChainHasher.Unkeyed(engine);
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        Span<byte> expected = stackalloc byte[ChainHasher.Size];
        var previous = new byte[ChainHasher.Size];
        foreach (var length in BodyLengths())
        {
            random.NextBytes(previous);
            var body = new byte[length];
            random.NextBytes(body);

            hasher.Link(previous, body, link);
            SHA256.HashData([.. previous, .. body], expected);
            Assert.True(link.SequenceEqual(expected), $"body of {length} bytes");

            hasher.LinkPrefix(previous, body, link);
            SHA256.HashData([.. previous, .. body, (byte)'}'], expected);
            Assert.True(link.SequenceEqual(expected), $"prefix of {length} bytes");
        }
    }

    [Fact]
    public void Link_AfterDispose_Throws()
    {
        var hasher = ChainHasher.Keyed("k1", LogFixture.Key);
        hasher.Dispose();
        var link = new byte[ChainHasher.Size];

        Assert.ThrowsAny<ObjectDisposedException>(() => hasher.Link(new byte[ChainHasher.Size], "{}"u8, link));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Link_PreviousAliasesDestination_ChainsInPlace(string engineName)
    {
        var engine = Enum.Parse<ChainHashEngine>(engineName);
        using var hasher = ChainHasher.Keyed("k1", LogFixture.Key, engine);
        var chain = new byte[ChainHasher.Size];
        var body = "{\"seq\":1}"u8.ToArray();
        var expected = HMACSHA256.HashData(LogFixture.Key, chain.Concat(body).ToArray());

        hasher.Link(chain, body, chain);

        Assert.Equal(expected, chain);
    }

    private static IEnumerable<int> BodyLengths() => Enumerable.Range(0, 140).Concat([255, 256, 300, 400, 447, 448, 1000, 70_000]);
}
