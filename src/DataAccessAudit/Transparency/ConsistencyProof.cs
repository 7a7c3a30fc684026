using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DataAccessAudit.Transparency;

/// <summary>
/// Evidence that a log's tree at one size extends its tree at a smaller size (RFC 9162 consistency proof): nothing
/// below the smaller size was changed, removed or reordered. What a witness asks for before it cosigns.
/// </summary>
/// <remarks>Written as JSON (<see cref="ToJson"/>, schema <c>access-log-consistency/1</c>).</remarks>
public sealed class ConsistencyProof
{
    /// <summary>The schema name of the JSON form.</summary>
    public const string Schema = "access-log-consistency/1";

    private readonly byte[][] _path;

    internal ConsistencyProof(long fromSize, long toSize, byte[][] path)
    {
        FromSize = fromSize;
        ToSize = toSize;
        _path = path;
    }

    /// <summary>Gets the size of the older tree.</summary>
    public long FromSize { get; }

    /// <summary>Gets the size of the newer tree.</summary>
    public long ToSize { get; }

    /// <summary>Parses the JSON form.</summary>
    /// <param name="json">The proof, as written by <see cref="ToJson"/>.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="FormatException">The text is not such a proof: the message names the member that is wrong and what was expected.</exception>
    public static ConsistencyProof Parse(string json)
    {
        var proof = ProofJson.Parse(json, Schema);
        return new ConsistencyProof(proof.WholeNumber("from", long.MaxValue), proof.WholeNumber("to", long.MaxValue), proof.Hashes("path"));
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
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
