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
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
