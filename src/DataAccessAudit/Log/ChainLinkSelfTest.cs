using System.Security.Cryptography;

namespace DataAccessAudit.Log;

// The check a direct OpenSSL engine passes before ChainHasher uses it: its links, keyed and unkeyed, over a
// multi-block input, equal .NET's SHA256.HashData and HMACSHA256.HashData. The keyed link is computed twice by one
// engine, so that the second starts from whatever the first left behind.
internal static class ChainLinkSelfTest
{
    // create(key, keyed): a new engine; keyed false means the unkeyed chain (key unused).
    public static bool Passes(Func<byte[], bool, IChainLinkEngine> create)
    {
        var previous = new byte[ChainHasher.Size];
        var body = new byte[300];
        var key = new byte[32];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i * 7);
        }

        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(i + 1);
            previous[i] = (byte)(255 - i);
        }

        byte[] input = [.. previous, .. body, (byte)'}'];
        Span<byte> plain = stackalloc byte[ChainHasher.Size];
        Span<byte> keyed = stackalloc byte[ChainHasher.Size];
        using (var unkeyedEngine = create([], false))
        {
            unkeyedEngine.Link(previous, body, "}"u8, plain);
        }

        using (var keyedEngine = create(key, true))
        {
            keyedEngine.Link(previous, body, "}"u8, keyed);
            keyedEngine.Link(previous, body, "}"u8, keyed);
        }

        return plain.SequenceEqual(SHA256.HashData(input)) && keyed.SequenceEqual(HMACSHA256.HashData(key, input));
    }
}
