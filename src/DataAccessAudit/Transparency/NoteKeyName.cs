using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DataAccessAudit.Transparency;

// The rules shared by signing and verifier keys (C2SP signed-note): a key name is non-empty with no Unicode space
// and no '+', and a key id is the first four bytes of SHA-256(name || '\n' || type || public key), big-endian.
internal static class NoteKeyName
{
    // Signature types assigned by C2SP signed-note.
    public const byte Ed25519 = 0x01;
    public const byte CosignatureEd25519 = 0x04;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('+', StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c) || (char.IsSurrogate(c) && !char.IsSurrogatePair(name, i - (char.IsLowSurrogate(c) && i > 0 ? 1 : 0))))
            {
                return false;
            }
        }

        return true;
    }

    public static uint KeyId(string name, byte type, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = (byte)'\n';
        input[nameBytes.Length + 1] = type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }
}
