using System.Text;
using System.Text.Json;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;

namespace DataAccessAudit.PostgreSql.Verification;

/// <summary>
/// Every writing instance's head as a verification found it, in the <c>access-store-heads/1</c> JSON format
/// (docs/scaling.md). The chain cannot show rows cut off an instance's end when its head row is moved back with them,
/// nor a whole instance removed with its head row: whoever keeps these heads outside the database and gives them to
/// <see cref="PostgreSqlAuditStore.VerifyAsync"/> later makes the store prove that it only grew since.
/// </summary>
public sealed class PostgreSqlStoreHeads
{
    private const string SchemaName = "access-store-heads/1";

    /// <summary>Creates the heads of a store.</summary>
    /// <param name="instances">One head per instance; each instance id once.</param>
    /// <exception cref="ArgumentException">An instance id occurs twice.</exception>
    public PostgreSqlStoreHeads(IEnumerable<PostgreSqlInstanceHead> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var list = instances.ToList();
        list.Sort((a, b) => string.CompareOrdinal(a.InstanceId, b.InstanceId));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].InstanceId == list[i - 1].InstanceId)
            {
                throw new ArgumentException($"The instance '{list[i].InstanceId}' has two heads.", nameof(instances));
            }
        }

        Instances = list.AsReadOnly();
    }

    /// <summary>Gets the heads, ordered by instance id (ordinal).</summary>
    public IReadOnlyList<PostgreSqlInstanceHead> Instances { get; }

    /// <summary>Reads heads written by <see cref="ToJson"/> or <see cref="Save"/>.</summary>
    /// <param name="json">The <c>access-store-heads/1</c> document.</param>
    /// <returns>The heads.</returns>
    /// <exception cref="FormatException">The text is not an <c>access-store-heads/1</c> document; the message says what is wrong, in words.</exception>
    public static PostgreSqlStoreHeads Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            var at = JsonSyntax.PositionOf(exception);
            throw new FormatException($"not JSON ({JsonSyntax.DescriptionOf(exception)}{(at is null ? string.Empty : $" at {at}")}): expected an {SchemaName} document", exception);
        }

        using (document)
        {
            if (JsonRepeatedMembers.Find(Encoding.UTF8.GetBytes(json)) is { } repeated)
            {
                throw new FormatException(repeated);
            }

            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException exception)
            {
                // JsonElement.GetString refuses an escaped surrogate without its pair: no instance id or schema is that.
                throw new FormatException("a string holds an escaped surrogate without its pair: expected Unicode text", exception);
            }
        }
    }

    private static PostgreSqlStoreHeads Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"not an {SchemaName} document: it has no \"schema\" member");
        }

        if (schema.GetString() != SchemaName)
        {
            throw new FormatException($"its schema is \"{schema.GetString()}\", expected \"{SchemaName}\"");
        }

        if (!root.TryGetProperty("instances", out var instances) || instances.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("\"instances\": expected an array of heads");
        }

        var heads = new List<PostgreSqlInstanceHead>();
        var index = 0;
        foreach (var instance in instances.EnumerateArray())
        {
            heads.Add(ReadHead(instance, index++));
        }

        try
        {
            return new PostgreSqlStoreHeads(heads);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException(GuardMessage.Of(exception), exception);
        }
    }

    /// <summary>Returns the heads as an <c>access-store-heads/1</c> document: one head a line, ordered by instance id.</summary>
    /// <returns>The JSON text, ending with a line break.</returns>
    public string ToJson() => Encoding.UTF8.GetString(ToUtf8());

    /// <summary>
    /// Writes the heads to a file as <see cref="ToJson"/> does, whole or not at all: a full disk or a crash leaves the
    /// file as it was, never a cut copy an auditor would later take for a kept state.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory may not be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, ToUtf8(), ownerOnly: false);
    }

    /// <summary>Returns how many heads there are.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"{SchemaName}: {Instances.Count} instances";

    private static PostgreSqlInstanceHead ReadHead(JsonElement instance, int index)
    {
        var where = $"\"instances\"[{index}]";
        if (instance.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected an object with \"instanceId\", \"lastSequence\" and \"lastChain\"");
        }

        if (!instance.TryGetProperty("instanceId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } instanceId)
        {
            throw new FormatException($"{where}.instanceId: expected the instance's id, a non-empty string");
        }

        if (!instance.TryGetProperty("lastSequence", out var seq) || seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var lastSequence) || lastSequence < 0)
        {
            throw new FormatException($"{where}.lastSequence: expected a whole number from 0");
        }

        if (!instance.TryGetProperty("lastChain", out var chain) || chain.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"{where}.lastChain: expected 64 lower-case hex digits");
        }

        try
        {
            return new PostgreSqlInstanceHead(instanceId, lastSequence, chain.GetString()!);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException($"{where}.lastChain: {GuardMessage.Of(exception)}", exception);
        }
    }

    private byte[] ToUtf8()
    {
        // One head a line, so that the file reads in a terminal and compares line by line with diff.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", SchemaName);
            writer.WritePropertyName("instances");
            writer.WriteStartArray();
            writer.Flush();
            for (var i = 0; i < Instances.Count; i++)
            {
                buffer.Write(i == 0 ? "\n  "u8 : ",\n  "u8);
                using (var line = new Utf8JsonWriter(buffer))
                {
                    line.WriteStartObject();
                    line.WriteString("instanceId", Instances[i].InstanceId);
                    line.WriteNumber("lastSequence", Instances[i].LastSequence);
                    line.WriteString("lastChain", Instances[i].LastChain);
                    line.WriteEndObject();
                }
            }

            buffer.Write(Instances.Count == 0 ? ""u8 : "\n"u8);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.ToArray();
    }
}
