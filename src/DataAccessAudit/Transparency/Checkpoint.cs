using System.Globalization;

namespace DataAccessAudit.Transparency;

/// <summary>
/// The state of a log's Merkle tree at one size, as the text of a C2SP <c>tlog-checkpoint</c>: the origin line (the
/// log's name), the tree size in decimal, and the base64 root hash, each followed by a newline.
/// </summary>
/// <remarks>
/// A checkpoint is published as a <see cref="SignedNote"/> whose text is <see cref="Text"/>. Anyone holding an older
/// checkpoint of the same origin can ask for a consistency proof that this one extends it: a log cannot then cut its
/// tail or rewrite its past below that size without being caught.
/// </remarks>
public sealed class Checkpoint : IEquatable<Checkpoint>
{
    private readonly byte[] _rootHash;

    /// <summary>Initializes a new instance of the <see cref="Checkpoint"/> class.</summary>
    /// <param name="origin">The log's origin: non-empty, one line, for example <c>audit.example.com/eu-1</c>.</param>
    /// <param name="treeSize">The number of records in the tree.</param>
    /// <param name="rootHash">The RFC 9162 root hash of those records, 32 bytes.</param>
    public Checkpoint(string origin, long treeSize, ReadOnlySpan<byte> rootHash)
        : this(origin, treeSize, rootHash, [])
    {
    }

    private Checkpoint(string origin, long treeSize, ReadOnlySpan<byte> rootHash, string[] extensions)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        if (origin.Any(c => c < 0x20))
        {
            throw new ArgumentException($"'{origin}' is not an origin: one line without control characters.", nameof(origin));
        }

        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A root hash has {MerkleHash.Size} bytes, not {rootHash.Length}.", nameof(rootHash));
        }

        Origin = origin;
        TreeSize = treeSize;
        _rootHash = rootHash.ToArray();
        Text = string.Create(CultureInfo.InvariantCulture, $"{origin}\n{treeSize}\n{Convert.ToBase64String(_rootHash)}\n") + string.Concat(extensions.Select(e => e + "\n"));
    }

    /// <summary>Gets the log's origin, the checkpoint's first line.</summary>
    public string Origin { get; }

    /// <summary>Gets the number of records the checkpoint covers.</summary>
    public long TreeSize { get; }

    /// <summary>Gets the root hash of the tree of those records.</summary>
    public ReadOnlySpan<byte> RootHash => _rootHash;

    /// <summary>Gets the checkpoint's note text: origin, size and base64 root hash, one per line.</summary>
    public string Text { get; }

    /// <summary>Parses the text of a checkpoint: three lines, then any non-empty extension lines (kept in <see cref="Text"/>, so that signatures over them verify).</summary>
    /// <param name="text">The note text, ending in a newline.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="FormatException">The text is not a checkpoint.</exception>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        if (lines.Length < 4 || lines[^1].Length != 0 || lines[3..^1].Any(l => l.Length == 0))
        {
            throw new FormatException("A checkpoint is three lines, origin, tree size and base64 root hash, each ending in a newline.");
        }

        if (lines[1].Length == 0 || lines[1].Length > 19 || (lines[1].Length > 1 && lines[1][0] == '0') || !lines[1].All(char.IsAsciiDigit) ||
            !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new FormatException($"'{lines[1]}' is not a tree size: decimal digits without leading zeros.");
        }

        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException exception)
        {
            throw new FormatException($"'{lines[2]}' is not a base64 root hash.", exception);
        }

        if (root.Length != MerkleHash.Size || Convert.ToBase64String(root) != lines[2])
        {
            throw new FormatException($"'{lines[2]}' is not a root hash: {root.Length} bytes instead of {MerkleHash.Size}.");
        }

        try
        {
            return new Checkpoint(lines[0], size, root, lines[3..^1]);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException($"'{lines[0]}' is not an origin.", exception);
        }
    }

    /// <summary>Signs the checkpoint with the log's key.</summary>
    /// <param name="key">The log's signing key.</param>
    /// <returns>The signed checkpoint note.</returns>
    public SignedNote Sign(NoteSigningKey key) => SignedNote.FromText(Text).Sign(key);

    /// <summary>
    /// Parses a signed checkpoint and verifies it with the given keys: only a signature by a key whose name is the
    /// checkpoint's origin counts (C2SP <c>tlog-checkpoint</c>), so keys of other logs given beside the log's are ignored.
    /// </summary>
    /// <param name="note">The signed note.</param>
    /// <param name="keys">The keys trusted to sign for the log (several across a key rotation, all with the log's name).</param>
    /// <returns>The checkpoint and the keys whose signatures verified.</returns>
    /// <exception cref="FormatException">The note or its text is malformed.</exception>
    /// <exception cref="NoteVerificationException">No trusted key named after the checkpoint's origin signed it, or a signature is bad.</exception>
    /// <exception cref="ArgumentException">A key in <paramref name="keys"/> is a witness's cosigner key.</exception>
    public static (Checkpoint Checkpoint, IReadOnlyList<NoteVerifierKey> Signers) Open(string note, IEnumerable<NoteVerifierKey> keys)
    {
        var logKeys = NoteVerifierKey.LogKeys(keys, nameof(keys));
        var signed = SignedNote.Parse(note);
        var checkpoint = Parse(signed.Text);

        // The origin names the log, and a log signs with a key of that name: a key of another log, in a verifier's
        // list of several logs' keys or given to a witness by mistake, would otherwise let that log's operator sign a
        // fork of this one, and a witness keeping its state by origin would then refuse the genuine log.
        var own = logKeys.Where(k => k.Name == checkpoint.Origin).ToList();
        if (own.Count == 0)
        {
            throw new NoteVerificationException(
                $"The checkpoint is of '{checkpoint.Origin}' but no key given is named so (given: {string.Join(", ", logKeys.Distinct().Select(k => k.ToString()))}): only a key whose name is a checkpoint's origin signs for that log.");
        }

        return (checkpoint, signed.Verify(own));
    }

    /// <inheritdoc/>
    public bool Equals(Checkpoint? other) => other is not null && Text == other.Text;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Checkpoint);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <summary>Returns the checkpoint's text.</summary>
    /// <returns><see cref="Text"/>.</returns>
    public override string ToString() => Text;

    internal byte[] RootHashArray => _rootHash;
}
