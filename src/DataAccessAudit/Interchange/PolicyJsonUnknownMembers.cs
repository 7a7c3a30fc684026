using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DataAccessAudit.Interchange;

// Finds every member of a policy file that the format does not know, walking the file beside the format's own types,
// and words each one. The serializer stops at the first one, so a file with a misspelt member and a bad value would
// show only the misspelling, and the bad value after that was fixed; a configuration section lists both at once
// (ConfigurationShape), and so does a file. Runs on a file the serializer has read with unknown members
// skipped, so its JSON is valid and each value has the kind its member expects.
internal static class PolicyJsonUnknownMembers
{
    public static IReadOnlyList<string> Find(ReadOnlySpan<byte> utf8Json)
    {
        var problems = new List<string>();
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        if (reader.Read())
        {
            Walk(ref reader, PolicyJsonContext.Default.AccessPolicyOptions, string.Empty, utf8Json, problems);
        }

        return problems;
    }

    // The reader is on the first token of a value of the given type; it is left on the value's last token.
    private static void Walk(ref Utf8JsonReader reader, JsonTypeInfo type, string path, ReadOnlySpan<byte> utf8Json, List<string> problems)
    {
        if (type.Kind == JsonTypeInfoKind.Object && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                var member = path.Length == 0 ? name : $"{path}.{name}";
                var property = type.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
                // Where the serializer says it stopped for the first of them: just after the member's colon.
                var position = reader.BytesConsumed;
                reader.Read();
                if (property is null)
                {
                    problems.Add($"{member} ({PositionOf(utf8Json, position)}): not a member here; "
                        + $"expected one of {string.Join(", ", type.Properties.Select(p => p.Name))}");
                    reader.Skip();
                }
                else
                {
                    WalkValue(ref reader, property.PropertyType, member, utf8Json, problems);
                }
            }
        }
        else if (type.Kind == JsonTypeInfoKind.Enumerable && reader.TokenType == JsonTokenType.StartArray && PolicyJsonContext.ElementTypeOf(type.Type) is { } element)
        {
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                WalkValue(ref reader, element, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), utf8Json, problems);
            }
        }
        else
        {
            reader.Skip();
        }
    }

    private static void WalkValue(ref Utf8JsonReader reader, Type type, string path, ReadOnlySpan<byte> utf8Json, List<string> problems)
    {
        if (PolicyJsonContext.Default.GetTypeInfo(type) is { } info)
        {
            Walk(ref reader, info, path, utf8Json, problems);
        }
        else
        {
            reader.Skip();
        }
    }

    // Where the serializer would have stopped, in the words of its other problems (JsonSyntax).
    private static string PositionOf(ReadOnlySpan<byte> utf8Json, long offset)
    {
        var before = utf8Json[..(int)offset];
        return JsonSyntax.Position(before.Count((byte)'\n'), offset - (before.LastIndexOf((byte)'\n') + 1));
    }
}
