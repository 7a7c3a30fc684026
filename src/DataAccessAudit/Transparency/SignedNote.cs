using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using NodaTime;

namespace DataAccessAudit.Transparency;

/// <summary>
/// A text signed by one or more keys, in the C2SP <c>signed-note</c> format (the format of Go's checksum database and of
/// every C2SP transparency log): the text ending in a newline, a blank line, then one line per signature,
/// <c>— name base64(key id || signature)</c>.
/// </summary>
/// <remarks>
/// Verification follows the specification: signatures by keys the verifier does not know are ignored; a signature by a
/// known key (same name and id) must verify; at least one must. Immutable: signing returns a new note.
/// </remarks>
public sealed class SignedNote
{
    private const int MaxSignatures = 100;
    private const string CosignatureHeader = "cosignature/v1\n";

    private readonly IReadOnlyList<NoteSignature> _signatures;

    private SignedNote(string text, IReadOnlyList<NoteSignature> signatures)
    {
        Text = text;
        _signatures = signatures;
    }

    /// <summary>Gets the signed text, including its final newline.</summary>
    public string Text { get; }

    /// <summary>Gets the names of the keys that signed the note, as written (verified or not), in order.</summary>
    public IReadOnlyList<string> SignerNames => [.. _signatures.Select(s => s.Name)];

    internal IReadOnlyList<NoteSignature> Signatures => _signatures;

    /// <summary>Creates an unsigned note, to be signed with <see cref="Sign"/>.</summary>
    /// <param name="text">The text: valid characters only (no control character but newline), ending in a newline.</param>
    /// <returns>The note without signatures.</returns>
    public static SignedNote FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n') || !IsValidText(text))
        {
            throw new ArgumentException("A note's text must end in a newline and contain no control character other than newline.", nameof(text));
        }

        return new SignedNote(text, []);
    }

    /// <summary>Parses a signed note, checking its syntax but not its signatures (see <see cref="Verify"/>).</summary>
    /// <param name="note">The note, text and signature lines.</param>
    /// <returns>The note.</returns>
    /// <exception cref="FormatException">The note is malformed.</exception>
    public static SignedNote Parse(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (!IsValidText(note))
        {
            throw new FormatException("A signed note must be valid UTF-8 with no control character other than newline.");
        }

        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new FormatException("A signed note is its text, a blank line and signature lines; there is no blank line.");
        }

        var text = note[..(split + 1)];
        var lines = note[(split + 2)..];
        if (lines.Length == 0 || !lines.EndsWith('\n'))
        {
            throw new FormatException("A signed note must end with at least one signature line ending in a newline.");
        }

        var signatures = new List<NoteSignature>();
        foreach (var line in lines[..^1].Split('\n'))
        {
            if (!line.StartsWith("\u2014 ", StringComparison.Ordinal))
            {
                throw new FormatException($"'{line}' is not a signature line ('\u2014 name signature').");
            }

            var rest = line[2..];
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var name = space < 0 ? rest : rest[..space];
            var base64 = space < 0 ? string.Empty : rest[(space + 1)..];
            byte[]? raw = null;
            try
            {
                raw = base64.Length == 0 ? null : Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
            }

            if (!NoteKeyName.IsValid(name) || raw is null || raw.Length < 5)
            {
                throw new FormatException($"'{line}' is not a signature line: a key name without spaces, then base64 of a key id and a signature.");
            }

            if (signatures.Count == MaxSignatures)
            {
                throw new FormatException($"A signed note may carry at most {MaxSignatures} signatures.");
            }

            signatures.Add(new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(raw), raw[4..], base64));
        }

        return new SignedNote(text, signatures);
    }

    // A note read from a file or the network: invalid UTF-8 is malformed, not replaced.
    internal static SignedNote ParseUtf8(ReadOnlySpan<byte> note)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(note);
        }
        catch (DecoderFallbackException exception)
        {
            throw new FormatException("A signed note must be valid UTF-8.", exception);
        }

        return Parse(text);
    }

    /// <summary>Checks the note's signatures against the given keys.</summary>
    /// <param name="keys">The keys the verifier trusts; signatures by other keys are ignored.</param>
    /// <returns>The keys whose signatures verified, in the order of the keys given; at least one.</returns>
    /// <exception cref="NoteVerificationException">A known key's signature does not verify, or no known key signed the note.</exception>
    public IReadOnlyList<NoteVerifierKey> Verify(IEnumerable<NoteVerifierKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var known = keys.Distinct().ToList();
        var verified = new List<NoteVerifierKey>();
        foreach (var key in known)
        {
            var matching = _signatures.Where(s => s.Name == key.Name && s.KeyId == key.KeyId).ToList();
            if (matching.Count == 0)
            {
                continue;
            }

            foreach (var signature in matching)
            {
                if (!VerifyOne(key, signature))
                {
                    throw new NoteVerificationException($"The signature of key {key.Name}+{key.KeyId:x8} does not verify: the note was changed or the signature forged.");
                }
            }

            verified.Add(key);
        }

        if (verified.Count == 0)
        {
            var present = _signatures.Count == 0 ? "none" : string.Join(", ", _signatures.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name}+{s.KeyId:x8}")).Distinct());
            throw new NoteVerificationException($"The note is signed by no key given (signed by: {present}; given: {string.Join(", ", known.Select(k => k.ToString()))}).");
        }

        return verified;
    }

    /// <summary>Signs the note with the log's key, replacing an earlier signature by the same key.</summary>
    /// <param name="key">A signing key (type <c>0x01</c>).</param>
    /// <returns>The signed note.</returns>
    /// <exception cref="ArgumentException">The key is a witness's cosigner key (use <see cref="Cosign"/>).</exception>
    public SignedNote Sign(NoteSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.ThrowIfCosigner(nameof(key));
        return Add(key, key.Sign(Encoding.UTF8.GetBytes(Text)));
    }

    /// <summary>Cosigns the note as a witness (C2SP <c>tlog-cosignature</c>, Ed25519 <c>cosignature/v1</c>), replacing an earlier cosignature by the same key.</summary>
    /// <param name="key">A cosigner key (type <c>0x04</c>).</param>
    /// <param name="time">When the witness cosigned: the signature covers it, truncated to whole seconds.</param>
    /// <returns>The cosigned note.</returns>
    public SignedNote Cosign(NoteSigningKey key, Instant time)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.IsCosigner)
        {
            throw new ArgumentException($"{key} is not a cosigner key.", nameof(key));
        }

        var seconds = time.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(time));
        var signature = key.Sign(CosignedMessage(Text, (ulong)seconds));
        var timestamped = new byte[8 + signature.Length];
        BinaryPrimitives.WriteUInt64BigEndian(timestamped, (ulong)seconds);
        signature.CopyTo(timestamped, 8);
        return Add(key, timestamped);
    }

    /// <summary>Gets when a cosigner cosigned this note, if its cosignature verifies.</summary>
    /// <param name="key">The cosigner's key.</param>
    /// <returns>The time of its valid cosignature, or null.</returns>
    public Instant? CosignedAt(NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = _signatures.FirstOrDefault(s => s.Name == key.Name && s.KeyId == key.KeyId && key.IsCosigner && VerifyOne(key, s));
        return signature is null ? null : Instant.FromUnixTimeSeconds(checked((long)BinaryPrimitives.ReadUInt64BigEndian(signature.Signature)));
    }

    /// <summary>
    /// Gets the witnesses among <paramref name="witnessKeys"/> whose cosignature (C2SP <c>tlog-cosignature</c>) on this
    /// note verifies: what a verifier counts when it requires a checkpoint to be cosigned by some number of witnesses.
    /// </summary>
    /// <param name="witnessKeys">The witnesses' keys the verifier trusts; keys that are not cosigner keys count for nothing.</param>
    /// <returns>The keys with a valid cosignature, each once, in the order given.</returns>
    public IReadOnlyList<NoteVerifierKey> Cosigners(IEnumerable<NoteVerifierKey> witnessKeys)
    {
        ArgumentNullException.ThrowIfNull(witnessKeys);
        return [.. witnessKeys.Distinct().Where(key => CosignedAt(key) is not null)];
    }

    /// <summary>Returns the note: the text, a blank line and the signature lines.</summary>
    /// <returns>The signed note's text.</returns>
    public override string ToString() => Text + "\n" + string.Concat(_signatures.Select(s => s.Line));

    private static byte[] CosignedMessage(string text, ulong seconds) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CosignatureHeader}time {seconds}\n{text}"));

    private bool VerifyOne(NoteVerifierKey key, NoteSignature signature)
    {
        if (!key.IsCosigner)
        {
            return key.Verify(Encoding.UTF8.GetBytes(Text), signature.Signature);
        }

        if (signature.Signature.Length != 8 + 64)
        {
            return false;
        }

        var seconds = BinaryPrimitives.ReadUInt64BigEndian(signature.Signature);
        return seconds <= long.MaxValue && key.Verify(CosignedMessage(Text, seconds), signature.Signature.AsSpan(8));
    }

    private SignedNote Add(NoteSigningKey key, byte[] signature)
    {
        var id = key.VerifierKey.KeyId;
        var raw = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(raw, id);
        signature.CopyTo(raw, 4);
        var line = new NoteSignature(key.Name, id, signature, Convert.ToBase64String(raw));
        return new SignedNote(Text, [.. _signatures.Where(s => s.Name != key.Name || s.KeyId != id), line]);
    }

    private static bool IsValidText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c < 0x20 && c != '\n') || (char.IsHighSurrogate(c) && (i + 1 == text.Length || !char.IsLowSurrogate(text[++i]))) || char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
