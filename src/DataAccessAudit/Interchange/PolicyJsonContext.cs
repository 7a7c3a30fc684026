using System.Text.Json;
using System.Text.Json.Serialization;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Interchange;

// Source-generated JSON for policy files: no reflection, so trimming and native AOT keep working.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(AccessPolicyOptions))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext
{
    // The element type of one of the format's lists (IList<T>), for the walks that check a file's or a configuration
    // section's members against the format; JsonTypeInfo.ElementType is not there before .NET 9.
    public static Type? ElementTypeOf(Type list) => list.IsGenericType ? list.GetGenericArguments()[0] : null;
}
