using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataAccessAudit.Log;

namespace DataAccessAudit.Transparency;

/// <summary>
/// Evidence that one record is in a log, checkable with the log's public key and nothing else: the record's line,
/// its index, the RFC 9162 audit path and the signed checkpoint whose tree contains it. The rest of the log, with
/// every other person's records, is not needed.
/// </summary>
/// <remarks>Written as JSON (<see cref="ToJson"/>, schema <c>access-log-inclusion/1</c>).</remarks>
public sealed class InclusionProof
{
    /// <summary>The schema name of the JSON form.</summary>
    public const string Schema = "access-log-inclusion/1";

    private readonly byte[][] _path;

    internal InclusionProof(string record, long index, byte[][] path, SignedNote checkpoint)
    {
        Record = record;
        Index = index;
        _path = path;
        Checkpoint = checkpoint;
    }

    /// <summary>Gets the record's line as written in the log (without its newline): for an access, the access-event/1 JSON.</summary>
    public string Record { get; }

    /// <summary>Gets the record's index in the tree (its sequence number minus one).</summary>
    public long Index { get; }

    /// <summary>Gets the number of hashes in the audit path: at most 64, about log2 of the tree size.</summary>
    public int PathLength => _path.Length;

    /// <summary>Gets the signed checkpoint the proof is relative to.</summary>
    public SignedNote Checkpoint { get; }

    /// <summary>Parses the JSON form.</summary>
    /// <param name="json">The proof, as written by <see cref="ToJson"/>.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="FormatException">The text is not such a proof: the message names the member that is wrong and what was expected.</exception>
    public static InclusionProof Parse(string json)
    {
        var proof = ProofJson.Parse(json, Schema);
        return new InclusionProof(
            proof.String("record", "the record's line (a string)"),
            proof.WholeNumber("index", long.MaxValue - 1),
            proof.Hashes("path"),
            proof.Note("checkpoint"));
    }

    /// <summary>Checks the proof: the checkpoint is signed by one of the keys, the record is in its tree at the index, and its <c>seq</c> is the index + 1.</summary>
    /// <param name="keys">The log's public keys.</param>
    /// <returns>The checkpoint the record is proven against, and the keys that signed it.</returns>
    /// <exception cref="NoteVerificationException">The checkpoint is not signed by a given key named after its origin, or the record is not in its tree at the place of its sequence number.</exception>
    /// <exception cref="ArgumentException">A key in <paramref name="keys"/> is a witness's cosigner key.</exception>
    public (Checkpoint Checkpoint, IReadOnlyList<NoteVerifierKey> Signers) Verify(IEnumerable<NoteVerifierKey> keys)
    {
        Checkpoint checkpoint;
        IReadOnlyList<NoteVerifierKey> signers;
        try
        {
            (checkpoint, signers) = Transparency.Checkpoint.Open(Checkpoint.ToString(), keys);
        }
        catch (FormatException exception)
        {
            throw new NoteVerificationException($"The proof's signed note is not a checkpoint: {exception.Message}", exception);
        }

        if (!MerkleProofs.VerifyInclusion(Index, checkpoint.TreeSize, MerkleHash.Leaf(Encoding.UTF8.GetBytes(Record)), _path, checkpoint.RootHash))
        {
            throw new NoteVerificationException($"The record is not at index {Index} of the tree of {checkpoint.TreeSize} records that the checkpoint signs: the record, its index or the path was changed.");
        }

        // Leaf i is the record with seq i + 1: a record elsewhere proves only that the signed tree was built from a log
        // whose records were deleted, inserted or reordered, not that it is record Index + 1 of the log.
        if (!LogFormat.TryReadFields(Encoding.UTF8.GetBytes(Record), out var fields) || fields.Seq != Index + 1)
        {
            throw new NoteVerificationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The record is at index {Index} of the signed tree, the place of the record with seq {Index + 1}, but its seq is {(fields.Seq is { } seq ? seq.ToString(CultureInfo.InvariantCulture) : "missing")}: the tree was signed over a log whose records were deleted, inserted or reordered."));
        }

        return (checkpoint, signers);
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
            json.WriteNumber("index", Index);
            json.WriteString("record", Record);
            json.WriteStartArray("path");
            foreach (var hash in _path)
            {
                json.WriteStringValue(Convert.ToBase64String(hash));
            }

            json.WriteEndArray();
            json.WriteString("checkpoint", Checkpoint.ToString());
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
