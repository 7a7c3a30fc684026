using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataAccessAudit.Log;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace DataAccessAudit.Transparency;

/// <summary>
/// An Ed25519 private key that signs checkpoints (the log's key) or cosigns them (a witness's key), in the text form
/// of Go's <c>golang.org/x/mod/sumdb/note</c>: <c>PRIVATE+KEY+name+hex(key id)+base64(type || 32-byte seed)</c>.
/// </summary>
/// <remarks>
/// Whoever holds this key can sign checkpoints in the log's name: keep it out of the log directory, readable by the
/// writing process only (<see cref="Save"/> creates the file with mode 0600), and give auditors
/// <see cref="VerifierKey"/> instead. Signing uses BouncyCastle's RFC 8032 Ed25519.
/// </remarks>
public sealed class NoteSigningKey
{
    private const string Prefix = "PRIVATE+KEY+";

    private readonly byte[] _seed;
    private readonly byte _type;

    private NoteSigningKey(string name, byte type, byte[] seed)
    {
        _seed = seed;
        _type = type;
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
        VerifierKey = NoteVerifierKey.FromEd25519(name, publicKey, type == NoteKeyName.CosignatureEd25519);
    }

    /// <summary>Gets the key's name.</summary>
    public string Name => VerifierKey.Name;

    /// <summary>Gets the public half, to give to verifiers.</summary>
    public NoteVerifierKey VerifierKey { get; }

    /// <summary>Generates a new key from the operating system's random number generator.</summary>
    /// <param name="name">The key's name: the log's origin (for example <c>audit.example.com/eu-1</c>) or the witness's name.</param>
    /// <param name="cosigner">Whether the key cosigns checkpoints as a witness (C2SP <c>tlog-cosignature</c>, type <c>0x04</c>).</param>
    /// <returns>The key.</returns>
    public static NoteSigningKey Generate(string name, bool cosigner = false)
    {
        if (!NoteKeyName.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a key name: it must be non-empty, without spaces or '+'.", nameof(name));
        }

        return new NoteSigningKey(name, cosigner ? NoteKeyName.CosignatureEd25519 : NoteKeyName.Ed25519, RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize));
    }

    /// <summary>Parses a private key string, <c>PRIVATE+KEY+name+hash+base64</c>.</summary>
    /// <param name="text">The string (surrounding white space is ignored).</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The string is not a private key, or its key id does not match.</exception>
    public static NoteSigningKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        // The message never repeats the text: it is a secret.
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException("A private key must start with 'PRIVATE+KEY+'.");
        }

        var parts = text[Prefix.Length..].Split('+', 3);
        byte[]? data = null;
        try
        {
            data = parts.Length == 3 ? Convert.FromBase64String(parts[2]) : null;
        }
        catch (FormatException)
        {
        }

        if (parts.Length != 3 || !NoteKeyName.IsValid(parts[0]) || parts[1].Length != 8 ||
            !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId) ||
            data is null || data.Length != 1 + Ed25519.SecretKeySize || data[0] is not (NoteKeyName.Ed25519 or NoteKeyName.CosignatureEd25519))
        {
            throw new FormatException("A private key is PRIVATE+KEY+name+hash+base64(type || 32-byte Ed25519 seed), with type 0x01 or 0x04.");
        }

        var key = new NoteSigningKey(parts[0], data[0], data[1..]);
        if (key.VerifierKey.KeyId != keyId)
        {
            throw new FormatException($"The private key's id {keyId:x8} does not match its name and key.");
        }

        return key;
    }

    /// <summary>Reads a private key from a file written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The key.</returns>
    public static NoteSigningKey Load(string path)
    {
        try
        {
            return Parse(SmallFile.ReadAllText(path));
        }
        catch (FormatException exception)
        {
            throw new FormatException($"'{path}' does not hold a signing key: {exception.Message}", exception);
        }
    }

    /// <summary>Returns the private key string. Whoever has it can sign as this key.</summary>
    /// <returns><c>PRIVATE+KEY+name+hash+base64</c>.</returns>
    public string Export() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Name}+{VerifierKey.KeyId:x8}+{Convert.ToBase64String([_type, .. _seed])}");

    /// <summary>Writes the private key string to a new file, readable and writable by its owner only on Unix (0600).</summary>
    /// <param name="path">The file; it must not exist, so that a key is never overwritten by accident.</param>
    public void Save(string path)
    {
        var stream = new FileStream(path, OwnerOnlyFile.Options(FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 4096));
        try
        {
            using (stream)
            {
                stream.Write(Encoding.UTF8.GetBytes(Export() + "\n"));
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            // The file was created by this call: a part of a key left behind would be read as a bad key file, and
            // would make the next Save to the path refuse as if a key were there.
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Returns the key's name and id, never the key itself.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"signing key {Name}+{VerifierKey.KeyId:x8}");

    internal bool IsCosigner => _type == NoteKeyName.CosignatureEd25519;

    // A witness's key given where the log's key belongs: said before any work is done for the signature.
    internal void ThrowIfCosigner(string paramName)
    {
        if (IsCosigner)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The key {Name}+{VerifierKey.KeyId:x8} is a witness's cosigner key, not a log's signing key: it cosigns checkpoints, with the time of the cosignature, and cannot sign them."), paramName);
        }
    }

    internal byte[] Sign(byte[] message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_seed, 0, message, 0, message.Length, signature, 0);
        return signature;
    }
}
