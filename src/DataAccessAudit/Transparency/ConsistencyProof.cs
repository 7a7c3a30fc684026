using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DataAccessAudit.Transparency;

/// <summary>
/// Evidence that a log's tree at one size extends its tree at a smaller size (RFC 9162 consistency proof): nothing
/// below the smaller size was changed, removed or reordered. What a witness asks for before it cosigns, and what an
/// auditor checks with the log's public key alone when the proof carries both signed checkpoints.
/// </summary>
/// <remarks>Written as JSON (<see cref="ToJson"/>, schema <c>access-log-consistency/1</c>).</remarks>
public sealed class ConsistencyProof
{
    /// <summary>The schema name of the JSON form.</summary>
    public const string Schema = "access-log-consistency/1";

    private readonly byte[][] _path;

    internal ConsistencyProof(long fromSize, long toSize, byte[][] path, SignedNote? checkpoint, SignedNote? fromCheckpoint)
    {
        FromSize = fromSize;
        ToSize = toSize;
        _path = path;
        Checkpoint = checkpoint;
        FromCheckpoint = fromCheckpoint;
    }

    /// <summary>Gets the size of the older tree.</summary>
    public long FromSize { get; }

    /// <summary>Gets the size of the newer tree.</summary>
    public long ToSize { get; }

    /// <summary>Gets the signed checkpoint at <see cref="ToSize"/> (the log's last when the proof was made), or null in a proof written without it.</summary>
    public SignedNote? Checkpoint { get; }

    /// <summary>Gets the signed checkpoint at <see cref="FromSize"/> the proof was made from, or null when it was made from a size alone (for a witness, which holds that checkpoint).</summary>
    public SignedNote? FromCheckpoint { get; }

    /// <summary>Parses the JSON form.</summary>
    /// <param name="json">The proof, as written by <see cref="ToJson"/>.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="FormatException">The text is not such a proof: the message names the member that is wrong and what was expected.</exception>
    public static ConsistencyProof Parse(string json)
    {
        var proof = ProofJson.Parse(json, Schema);
        return new ConsistencyProof(
            proof.WholeNumber("from", long.MaxValue),
            proof.WholeNumber("to", long.MaxValue),
            proof.Hashes("path"),
            proof.OptionalNote("checkpoint"),
            proof.OptionalNote("fromCheckpoint"));
    }

    /// <summary>Checks that the newer checkpoint's tree extends the older one's.</summary>
    /// <param name="older">The checkpoint at <see cref="FromSize"/>.</param>
    /// <param name="newer">The checkpoint at <see cref="ToSize"/>.</param>
    /// <returns>Whether the proof shows it (same origin, matching sizes, valid RFC 9162 proof).</returns>
    public bool Verify(Checkpoint older, Checkpoint newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        return older.Origin == newer.Origin && older.TreeSize == FromSize && newer.TreeSize == ToSize &&
            MerkleProofs.VerifyConsistency(FromSize, ToSize, older.RootHash, newer.RootHash, _path);
    }

    /// <summary>
    /// Checks the proof with the log's public keys alone: both checkpoints it carries are signed by the log (a key named
    /// after their origin), and the newer one's tree extends the older one's.
    /// </summary>
    /// <param name="keys">The log's public keys.</param>
    /// <returns>The two checkpoints, and the keys that signed the newer one.</returns>
    /// <exception cref="InvalidOperationException">The proof does not carry both checkpoints (<see cref="Checkpoint"/> and <see cref="FromCheckpoint"/>).</exception>
    /// <exception cref="NoteVerificationException">A checkpoint is not signed by a given key named after its origin, or the proof does not show that the newer extends the older.</exception>
    /// <exception cref="ArgumentException">A key in <paramref name="keys"/> is a witness's cosigner key.</exception>
    public (Checkpoint From, Checkpoint To, IReadOnlyList<NoteVerifierKey> Signers) Verify(IEnumerable<NoteVerifierKey> keys)
    {
        if (Checkpoint is null || FromCheckpoint is null)
        {
            var carried = Checkpoint is not null ? "only the newer checkpoint" : FromCheckpoint is not null ? "only the older checkpoint" : "neither checkpoint";
            throw new InvalidOperationException($"The proof from {FromSize} to {ToSize} records carries {carried}: it was made for a witness, which holds the older one. A proof checkable alone carries both: \"checkpoint\" and \"fromCheckpoint\".");
        }

        var (newer, signers) = Open(Checkpoint, "checkpoint", keys);
        var (older, _) = Open(FromCheckpoint, "fromCheckpoint", keys);
        if (older.Origin != newer.Origin)
        {
            throw new NoteVerificationException($"The checkpoints are of two logs: '{older.Origin}' and '{newer.Origin}'.");
        }

        if (!Verify(older, newer))
        {
            throw new NoteVerificationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The proof does not show that the checkpoint at {newer.TreeSize} records extends the one at {older.TreeSize}: the log's past was rewritten, or the proof, its sizes ({FromSize} to {ToSize}) or a checkpoint was changed."));
        }

        return (older, newer, signers);
    }

    /// <summary>Returns the JSON form.</summary>
    /// <returns>One JSON object.</returns>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);
            json.WriteNumber("from", FromSize);
            json.WriteNumber("to", ToSize);
            json.WriteStartArray("path");
            foreach (var hash in _path)
            {
                json.WriteStringValue(Convert.ToBase64String(hash));
            }

            json.WriteEndArray();
            if (Checkpoint is not null)
            {
                json.WriteString("checkpoint", Checkpoint.ToString());
            }

            if (FromCheckpoint is not null)
            {
                json.WriteString("fromCheckpoint", FromCheckpoint.ToString());
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static (Checkpoint Checkpoint, IReadOnlyList<NoteVerifierKey> Signers) Open(SignedNote note, string member, IEnumerable<NoteVerifierKey> keys)
    {
        try
        {
            return Transparency.Checkpoint.Open(note.ToString(), keys);
        }
        catch (FormatException exception)
        {
            throw new NoteVerificationException($"The proof's \"{member}\" is not a checkpoint: {exception.Message}", exception);
        }
        catch (NoteVerificationException exception)
        {
            throw new NoteVerificationException($"The proof's \"{member}\": {exception.Message}", exception);
        }
    }
}
