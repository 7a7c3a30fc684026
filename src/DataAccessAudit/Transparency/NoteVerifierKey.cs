using System.Globalization;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace DataAccessAudit.Transparency;

/// <summary>
/// A public key that verifies signed notes, written as a C2SP verifier key string:
/// <c>name+hex(key id)+base64(type || public key)</c>, for example
/// <c>example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k</c>.
/// </summary>
/// <remarks>
/// Two types are understood: <c>0x01</c>, an Ed25519 key that signs checkpoints (the log's key), and <c>0x04</c>, an
/// Ed25519 key that cosigns them with a timestamp (a witness's key, C2SP <c>tlog-cosignature</c>). This is what an
/// auditor is given: it can check a log's checkpoints and proofs but cannot sign anything.
/// </remarks>
public sealed class NoteVerifierKey : IEquatable<NoteVerifierKey>
{
    private readonly byte[] _publicKey;
    private readonly string _text;

    private NoteVerifierKey(string name, uint keyId, byte type, byte[] publicKey)
    {
        Name = name;
        KeyId = keyId;
        Type = type;
        _publicKey = publicKey;
        _text = string.Create(CultureInfo.InvariantCulture, $"{name}+{keyId:x8}+{Convert.ToBase64String([type, .. publicKey])}");
    }

    /// <summary>Gets the key's name: the log's origin for a log key, the witness's name for a cosigner key.</summary>
    public string Name { get; }

    /// <summary>Gets the key id: the first four bytes of SHA-256(name, newline, type, public key), big-endian.</summary>
    public uint KeyId { get; }

    /// <summary>Gets whether this key verifies timestamped cosignatures (type <c>0x04</c>) rather than the log's own signatures (type <c>0x01</c>).</summary>
    public bool IsCosigner => Type == NoteKeyName.CosignatureEd25519;

    internal byte Type { get; }

    internal ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Parses a verifier key string.</summary>
    /// <param name="text">The string, <c>name+hash+base64</c>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The string is not a verifier key of a known type, or its key id does not match its name and key.</exception>
    /// <remarks>The message of the exception never repeats the string: a private key or a chain key given by mistake would otherwise end up in logs.</remarks>
    public static NoteVerifierKey Parse(string text) =>
        TryParse(text, out var key, out var problem) ? key : throw new FormatException(
            text is not null && text.StartsWith("PRIVATE+KEY+", StringComparison.Ordinal)
                ? "A private signing key was given where a verifier (public) key was expected: give the key's '.pub' line (name+hash+base64), and keep the private key secret."
                : $"The text given is not a verifier key (name+hash+base64 of an Ed25519 key): {problem}.");

    /// <summary>Tries to parse a verifier key string.</summary>
    /// <param name="text">The string, <c>name+hash+base64</c>.</param>
    /// <param name="key">The key, when the string is one.</param>
    /// <returns>Whether the string is a well-formed verifier key of a known type whose key id matches.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NoteVerifierKey? key) => TryParse(text, out key, out _);

    /// <summary>Creates the verifier key of an Ed25519 public key.</summary>
    /// <param name="name">The key's name (no spaces, no '+').</param>
    /// <param name="publicKey">The 32-byte Ed25519 public key.</param>
    /// <param name="cosigner">Whether the key cosigns checkpoints with a timestamp (type <c>0x04</c>) instead of signing them (type <c>0x01</c>).</param>
    /// <returns>The key.</returns>
    public static NoteVerifierKey FromEd25519(string name, ReadOnlySpan<byte> publicKey, bool cosigner = false)
    {
        if (!NoteKeyName.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a key name: it must be non-empty, without spaces or '+'.", nameof(name));
        }

        if (publicKey.Length != Ed25519.PublicKeySize)
        {
            throw new ArgumentException($"An Ed25519 public key has {Ed25519.PublicKeySize} bytes, not {publicKey.Length}.", nameof(publicKey));
        }

        var type = cosigner ? NoteKeyName.CosignatureEd25519 : NoteKeyName.Ed25519;
        return new NoteVerifierKey(name, NoteKeyName.KeyId(name, type, publicKey), type, publicKey.ToArray());
    }

    /// <summary>
    /// Lists the keys given as a log's keys, refusing a witness's cosigner key among them: the one check of every
    /// entry point that takes a log's public keys.
    /// </summary>
    /// <param name="keys">The keys given as the log's.</param>
    /// <param name="paramName">The caller's parameter, named by the exception.</param>
    /// <returns>The keys, listed once.</returns>
    /// <exception cref="ArgumentException">A key is a witness's cosigner key.</exception>
    internal static List<NoteVerifierKey> LogKeys(IEnumerable<NoteVerifierKey> keys, string paramName)
    {
        ArgumentNullException.ThrowIfNull(keys, paramName);
        var list = keys.ToList();
        if (list.FirstOrDefault(k => k.IsCosigner) is { } cosigner)
        {
            // A cosignature verifies as a signature of the note, so such a key would let a checkpoint that only a
            // witness signed pass as the log's; and where it does not, every checkpoint would read as unsigned: a
            // verdict on the log for a mistake in the keys.
            throw new ArgumentException($"{cosigner} is a witness's cosigner key, not a log's key: a log signs its checkpoints with a signing key.", paramName);
        }

        return list;
    }

    /// <summary>Returns the verifier key string.</summary>
    /// <returns><c>name+hash+base64</c>.</returns>
    public override string ToString() => _text;

    /// <inheritdoc/>
    public bool Equals(NoteVerifierKey? other) => other is not null && _text == other._text;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NoteVerifierKey);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    internal bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519.SignatureSize && Ed25519.Verify(signature.ToArray(), 0, _publicKey, 0, message.ToArray(), 0, message.Length);

    private static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NoteVerifierKey? key, out string problem)
    {
        key = null;
        var parts = (text ?? string.Empty).Split('+', 3);
        if (parts.Length != 3)
        {
            problem = "expected three parts separated by '+'";
            return false;
        }

        if (!NoteKeyName.IsValid(parts[0]))
        {
            problem = "the name must be non-empty, without spaces";
            return false;
        }

        if (parts[1].Length != 8 || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId))
        {
            problem = "the key id must be 8 hex digits";
            return false;
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            problem = "the key is not base64";
            return false;
        }

        if (data.Length == 0 || Convert.ToBase64String(data) != parts[2])
        {
            problem = "the key is not canonical base64";
            return false;
        }

        if (data[0] is not (NoteKeyName.Ed25519 or NoteKeyName.CosignatureEd25519))
        {
            problem = $"unknown key type 0x{data[0]:x2} (known: 0x01 Ed25519, 0x04 Ed25519 cosignature)";
            return false;
        }

        if (data.Length != 1 + Ed25519.PublicKeySize)
        {
            problem = $"an Ed25519 key has {Ed25519.PublicKeySize} bytes, not {data.Length - 1}";
            return false;
        }

        if (NoteKeyName.KeyId(parts[0], data[0], data.AsSpan(1)) is var expected && expected != keyId)
        {
            problem = $"the key id {keyId:x8} does not match the name and key ({expected:x8})";
            return false;
        }

        key = new NoteVerifierKey(parts[0], keyId, data[0], data[1..]);
        problem = string.Empty;
        return true;
    }
}
