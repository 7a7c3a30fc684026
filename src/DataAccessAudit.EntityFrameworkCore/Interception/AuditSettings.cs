using DataAccessAudit.Events;
using DataAccessAudit.Regions;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// One context's <see cref="EntityAuditOptions"/>, checked and parsed when the context is configured. The interceptor
/// is shared by every context of the app and reads these at run time, so that any configure callback (one that builds a
/// new <see cref="Requester"/> each time, say) leaves EF Core's internal service provider alone.
/// </summary>
internal sealed class AuditSettings
{
    private AuditSettings(EntityAuditOptions options)
    {
        DefaultRegion = Parse(options.DefaultDataRegion, nameof(options.DefaultDataRegion), allowUnknown: false);
        StoredIn = Parse(options.StoredIn, nameof(options.StoredIn), allowUnknown: true);
        Requester = options.Requester;
        Action = string.IsNullOrWhiteSpace(options.Action)
            ? throw new ArgumentException("EntityAuditOptions.Action is empty: expected a verb such as read.", nameof(options))
            : options.Action;
        Purpose = options.Purpose;
        SubjectPseudonym = options.SubjectPseudonym;
    }

    public Region? DefaultRegion { get; }

    public Region? StoredIn { get; }

    public Requester? Requester { get; }

    public string Action { get; }

    public string? Purpose { get; }

    public Func<object, string>? SubjectPseudonym { get; }

    /// <summary>Checks and parses <paramref name="options"/>; a value that is no region or an empty action fails naming the option.</summary>
    public static AuditSettings From(EntityAuditOptions options) => new(options);

    private static Region? Parse(string? code, string name, bool allowUnknown) =>
        code is null ? null
        : Region.TryParse(code, out var region) && (allowUnknown || !region.IsUnknown) ? region
        : throw new ArgumentException($"EntityAuditOptions.{name} is \"{code}\": expected an ISO 3166-1 alpha-2 code such as US.", nameof(code));
}
