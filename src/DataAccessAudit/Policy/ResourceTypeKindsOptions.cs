namespace DataAccessAudit.Policy;

/// <summary>The kinds of sensitive data one resource type carries, inside <see cref="BulkDataOptions"/>.</summary>
public sealed class ResourceTypeKindsOptions
{
    /// <summary>Gets or sets the resource type, as in <c>resource.type</c>, such as <c>health-record</c>. Required.</summary>
    public string? Type { get; set; }

    /// <summary>Gets or sets the names of the kinds it carries; at least one.</summary>
    public IList<string> Kinds { get; set; } = [];
}
