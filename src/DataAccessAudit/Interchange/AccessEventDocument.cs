using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataAccessAudit.Interchange;

// The shape of one access-event/1 line, for System.Text.Json source generation. Kept apart from the domain
// types so that the domain knows nothing of JSON, and so that a line with a bad value can be read far enough
// to say which value is bad.
internal sealed class AccessEventDocument
{
    public string? Schema { get; set; }

    public string? Id { get; set; }

    public string? Time { get; set; }

    public RequesterDocument? Requester { get; set; }

    public ResourceDocument? Resource { get; set; }

    public long? Subjects { get; set; }

    public IReadOnlyList<string>? SubjectKeys { get; set; }

    public string? Action { get; set; }

    public string? Purpose { get; set; }

    public ApprovalDocument? Approval { get; set; }

    public string? TraceId { get; set; }

    public DecisionDocument? Decision { get; set; }
}

internal sealed class RequesterDocument
{
    public string? Id { get; set; }

    // Required but nullable: present-and-null means unknown, absent is an input problem, so presence is kept.
    public string? Region
    {
        get;
        set
        {
            field = value;
            HasRegion = true;
        }
    }

    [JsonIgnore]
    public bool HasRegion { get; private set; }

    public string? Organization { get; set; }

    public IReadOnlyList<string>? Roles { get; set; }
}

internal sealed class ResourceDocument
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public string? Category { get; set; }

    public string? Region { get; set; }

    public string? StoredIn { get; set; }
}

internal sealed class ApprovalDocument
{
    public string? Id { get; set; }

    public string? ApprovedBy { get; set; }

    public string? ValidFrom { get; set; }

    public string? ValidUntil { get; set; }
}

internal sealed class DecisionDocument
{
    public string? Outcome { get; set; }

    public bool? CrossBorder { get; set; }

    public IReadOnlyList<string>? Findings { get; set; }

    public string? Policy { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    MaxDepth = AccessEventJson.MaxDepth)]
[JsonSerializable(typeof(AccessEventDocument))]
internal sealed partial class InterchangeJsonContext : JsonSerializerContext;
