using System.Security.Cryptography;
using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

public sealed class ChainHasherTests
{
    [Fact]
    public void Create_WithoutTheOptIn_UsesThePlatformCryptography()
    {
        // The default must go through .NET's cryptography (OpenSSL's providers, so a FIPS configuration applies).
        Assert.False(ChainHasher.NativeRequested);
        using var keyed = ChainHasher.Create("k1", LogFixture.Key);
        using var unkeyed = ChainHasher.Create(null, null);

        Assert.False(keyed.IsNative);
        Assert.False(unkeyed.IsNative);
    }

    [Fact]
    public void Keyed_NativeRequestedWhereAvailable_UsesItAndGivesTheSameLinks()
    {
        using var native = ChainHasher.Keyed("k1", LogFixture.Key, native: true);
        using var managed = ChainHasher.Keyed("k1", LogFixture.Key, native: false);
        Span<byte> a = stackalloc byte[ChainHasher.Size];
        Span<byte> b = stackalloc byte[ChainHasher.Size];

        native.LinkPrefix(new byte[ChainHasher.Size], "{\"schema\":\"access-event/1\""u8, a);
        managed.LinkPrefix(new byte[ChainHasher.Size], "{\"schema\":\"access-event/1\""u8, b);

        Assert.Equal(OpenSslSha256.IsAvailable, native.IsNative);
        Assert.False(managed.IsNative);
        Assert.True(a.SequenceEqual(b));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void Link_AnyKeyLengthAndBodyLength_EqualsHmacSha256(int keyLength)
    {
        var random = new Random(keyLength);
        var key = new byte[keyLength];
        random.NextBytes(key);
        using var hasher = ChainHasher.Keyed("k1", key, native: true);
        using var incremental = ChainHasher.Keyed("k1", key, native: false);
        Span<byte> link = stackalloc byte[ChainHasher.Size];
        Span<byte> expected = stackalloc byte[ChainHasher.Size];
        var previous = new byte[ChainHasher.Size];
        foreach (var length in BodyLengths())
        {
            random.NextBytes(previous);
            var body = new byte[length];
            random.NextBytes(body);

            hasher.Link(previous, body, link);
            HMACSHA256.HashData(key, [.. previous, .. body], expected);
            Assert.True(link.SequenceEqual(expected), $"body of {length} bytes");

            incremental.Link(previous, body, expected);
            Assert.True(link.SequenceEqual(expected), $"body of {length} bytes, IncrementalHash");

            hasher.LinkPrefix(previous, body, link);
            HMACSHA256.HashData(key, [.. previous, .. body, (byte)'}'], expected);
            Assert.True(link.SequenceEqual(expected), $"prefix of {length} bytes");
        }
    }

    [Fact]
    public void Link_Unkeyed_EqualsSha256()
    {
        var random = new Random(7);
        using var hasher = ChainHasher.Unkeyed();
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
    public void Link_PreviousAliasesDestination_ChainsInPlace()
    {
        using var hasher = ChainHasher.Keyed("k1", LogFixture.Key);
        var chain = new byte[ChainHasher.Size];
        var body = "{\"seq\":1}"u8.ToArray();
        var expected = HMACSHA256.HashData(LogFixture.Key, chain.Concat(body).ToArray());

        hasher.Link(chain, body, chain);

        Assert.Equal(expected, chain);
    }

    private static IEnumerable<int> BodyLengths() => Enumerable.Range(0, 140).Concat([255, 256, 300, 400, 447, 448, 1000, 70_000]);
}
