using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DataAccessAudit.Interchange;

// Says what the serializer rejected in a policy file in the words of the policy format, as the validator's problems
// do ("bulkData.kinds[0].threshold: expected a whole number"): the member's path as the file spells it, where the
// reader stopped (JsonSyntax), and what the format expects there. The serializer's own messages name .NET types
// (System.Nullable`1[System.Int64], DataAccessAudit.Policy.TaxonomyOptions), which mean nothing to whoever edits the
// file.
internal static class PolicyJsonProblem
{
    private const string ConvertedTo = "could not be converted to ";

    public static string Describe(JsonException exception)
    {
        var message = exception.Message;
        var where = Where(exception);
        if (Between(message, ConvertedTo, ". Path:") is { } type)
        {
            return $"{where}: expected {ValueOf(type)}";
        }

        return $"{where}: not JSON: {JsonSyntax.DescriptionOf(exception)}";
    }

    private static string Where(JsonException exception)
    {
        var path = MemberPath(exception);
        var position = JsonSyntax.PositionOf(exception);
        return (path, position) switch
        {
            (null, null) => "the policy",
            (null, _) => position!,
            (_, null) => path,
            _ => $"{path} ({position})",
        };
    }

    // The path as the file spells it (taxonomy.categories[0].name), when the serializer gives one in that form.
    private static string? MemberPath(JsonException exception) =>
        exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return null;
        }

        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? null : text[from..to];
    }

    // The policy format has strings, whole numbers, arrays and objects (AccessPolicyOptions and the options it holds).
    private static string ValueOf(string type) => type switch
    {
        "System.String" => "a string",
        "System.Int64" or "System.Nullable`1[System.Int64]" => "a whole number",
        _ when type.StartsWith("System.Collections.Generic.IList`1[", StringComparison.Ordinal) => "an array",
        _ when MembersOf(type) is { } members => $"an object with the members {string.Join(", ", members)}",
        _ => "a value of another kind",
    };

    // The JSON names of an options type's members, found by its .NET name among the types the format is made of.
    private static IEnumerable<string>? MembersOf(string type)
    {
        foreach (var info in Types)
        {
            if (string.Equals(info.Type.FullName, type, StringComparison.Ordinal))
            {
                return info.Properties.Select(property => property.Name);
            }
        }

        return null;
    }

    private static IEnumerable<JsonTypeInfo> Types
    {
        get
        {
            var context = PolicyJsonContext.Default;
            yield return context.AccessPolicyOptions;
            yield return context.TaxonomyOptions;
            yield return context.DataCategoryOptions;
            yield return context.JurisdictionOptions;
            yield return context.BulkDataOptions;
            yield return context.SensitiveDataKindOptions;
            yield return context.ResourceTypeKindsOptions;
        }
    }
}
