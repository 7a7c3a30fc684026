using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace DataAccessAudit.Interchange;

// Finds a member given twice in one object of a file people or tools hand to the library (a policy, a store's kept
// heads). The serializer and JsonDocument keep the last of them without a word, so a second "mode": "audit" after
// "mode": "enforce" would silently switch enforcement off, and a second "instances": [] would empty the heads a store
// must extend. One pass of the reader over a small file, after it has been read as valid JSON.
internal static class JsonRepeatedMembers
{
    // The problem ("taxonomy.name (line 3, byte 5): given twice; ..."), or null when every object names each member
    // once. The JSON has already been read (by the serializer or JsonDocument), so it is valid.
    public static string? Find(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        var scopes = new Stack<Scope>();
        string? member = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    if (!TryGetName(ref reader, out member))
                    {
                        return $"{PositionOf(utf8Json, reader.TokenStartIndex)}: a member's name holds an escaped surrogate without its pair; expected Unicode text";
                    }

                    var scope = scopes.Peek();
                    if (!scope.Names!.Add(member))
                    {
                        return $"{Join(scope.Path, member)} ({PositionOf(utf8Json, reader.TokenStartIndex)}): given twice; "
                            + "each member may be given once in an object";
                    }

                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var path = scopes.Count == 0 ? "" : PathOfValue(scopes.Peek(), member);
                    scopes.Push(new Scope(path, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    scopes.Pop();
                    break;
                default:
                    if (scopes.Count > 0 && scopes.Peek().Names is null)
                    {
                        scopes.Peek().Index++;
                    }

                    break;
            }
        }

        return null;
    }

    // The member's name; false when its escapes are no Unicode text (a surrogate without its pair).
    private static bool TryGetName(ref Utf8JsonReader reader, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    // The path of the value that starts here: the member just named in an object, the next element in an array.
    private static string PathOfValue(Scope parent, string? member)
    {
        if (parent.Names is not null)
        {
            return Join(parent.Path, member!);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{parent.Path}[{parent.Index++}]");
    }

    private static string Join(string path, string member) => path.Length == 0 ? member : $"{path}.{member}";

    // "line 3, byte 5", counted from 1 as JsonSyntax counts the serializer's positions.
    private static string PositionOf(ReadOnlySpan<byte> utf8Json, long offset)
    {
        var before = utf8Json[..(int)offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var line = before.Count((byte)'\n') + 1;
        return string.Create(CultureInfo.InvariantCulture, $"line {line}, byte {offset - lineStart + 1}");
    }

    private sealed class Scope(string path, HashSet<string>? names)
    {
        public string Path { get; } = path;

        // The members named so far in an object; null for an array.
        public HashSet<string>? Names { get; } = names;

        // The next element's index in an array.
        public int Index { get; set; }
    }
}
