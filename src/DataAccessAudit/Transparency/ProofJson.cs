using System.Globalization;
using System.Text.Json;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Transparency;

// The members of a proof's JSON form, read one by one, so that a file that is not a proof is reported by the member
// that is wrong and what was expected there, in the same words for inclusion and consistency proofs. Members not
// read are ignored (a later version may add some); a member given twice is refused, as its meaning is ambiguous.
internal sealed class ProofJson
{
    private const int Shown = 40;

    private readonly Dictionary<string, JsonElement> _members;

    private ProofJson(Dictionary<string, JsonElement> members) => _members = members;

    // The top-level object of a proof of the given schema.
    public static ProofJson Parse(string json, string schema)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            var where = JsonSyntax.PositionOf(exception) is { } position ? $" ({position})" : string.Empty;
            throw new FormatException($"not JSON{where}; expected a JSON object, an {schema} proof.", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"expected a JSON object, an {schema} proof; got {Show(root)}.");
            }

            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var member in root.EnumerateObject())
            {
                string name;
                try
                {
                    name = member.Name;
                }
                catch (InvalidOperationException exception)
                {
                    throw new FormatException($"a member's name escapes a surrogate without its pair: expected an {schema} proof, whose members are Unicode text.", exception);
                }

                if (!members.TryAdd(name, member.Value.Clone()))
                {
                    throw new FormatException($"\"{member.Name}\": given twice; expected once.");
                }
            }

            var proof = new ProofJson(members);
            var given = proof.String("schema", $"\"{schema}\"");
            return given == schema ? proof : throw Expected("schema", $"\"{schema}\"", members["schema"]);
        }
    }

    public string String(string name, string expected)
    {
        var value = Member(name, expected);
        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                return value.GetString()!;
            }
            catch (InvalidOperationException)
            {
                // a lone surrogate escaped in the JSON: no text to hash or show
            }
        }

        throw Expected(name, expected, value);
    }

    public long WholeNumber(string name, long max)
    {
        var expected = string.Create(CultureInfo.InvariantCulture, $"a whole number from 0 to {max}");
        var value = Member(name, expected);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0 && number <= max
            ? number
            : throw Expected(name, expected, value);
    }

    // An array of base64 SHA-256 hashes (an audit path or a consistency proof).
    public byte[][] Hashes(string name)
    {
        const string Expectation = "an array of base64 SHA-256 hashes";
        var value = Member(name, Expectation);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Expected(name, Expectation, value);
        }

        const string Hash = "a base64 SHA-256 hash (32 bytes, 44 characters)";
        var hashes = new List<byte[]>();
        foreach (var element in value.EnumerateArray())
        {
            byte[]? hash = null;
            if (element.ValueKind == JsonValueKind.String)
            {
                try
                {
                    hash = Convert.FromBase64String(element.GetString()!);
                }
                catch (Exception exception) when (exception is FormatException or InvalidOperationException)
                {
                }
            }

            hashes.Add(hash is { Length: MerkleHash.Size }
                ? hash
                : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"\"{name}\"[{hashes.Count}]: expected {Hash}, got {Show(element)}.")));
        }

        return [.. hashes];
    }

    // The signed checkpoint note the proof is relative to.
    public SignedNote Note(string name)
    {
        var text = String(name, "the signed checkpoint note (a string)");
        try
        {
            return SignedNote.Parse(text);
        }
        catch (FormatException exception)
        {
            throw new FormatException($"\"{name}\": not a signed checkpoint note: {exception.Message}", exception);
        }
    }

    // A signed checkpoint note that a later version of the format added: null when absent.
    public SignedNote? OptionalNote(string name) => _members.ContainsKey(name) ? Note(name) : null;

    private JsonElement Member(string name, string expected) =>
        _members.TryGetValue(name, out var value) ? value : throw new FormatException($"\"{name}\": missing; expected {expected}.");

    private static FormatException Expected(string name, string expected, JsonElement value) =>
        new($"\"{name}\": expected {expected}, got {Show(value)}.");

    private static string Show(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= Shown ? raw : raw[..Shown] + "…";
    }
}
