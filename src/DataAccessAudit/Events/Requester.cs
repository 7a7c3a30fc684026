using DataAccessAudit.Regions;

namespace DataAccessAudit.Events;

/// <summary>Who accessed data, and from where: an employee, a service account, an API key.</summary>
/// <remarks>
/// Build one per principal and reuse it across accesses: it is immutable, so recording an access
/// needs no copy of it.
/// </remarks>
public sealed class Requester
{
    /// <summary>Creates a requester.</summary>
    /// <param name="id">The requester's id: an employee id, a service account, an API key name.</param>
    /// <param name="region">Where the requester physically was; <see cref="Region.Unknown"/> when nobody knows, which a policy treats as abroad.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="id"/> is null or empty, or holds U+0000 or an unpaired surrogate (see <see cref="AccessEvent"/>).
    /// </exception>
    public Requester(string id, Region region)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        EventText.Check(id, nameof(id), "The requester id");
        Id = id;
        Region = region;
    }

    /// <summary>Gets the requester's id.</summary>
    public string Id { get; }

    /// <summary>Gets where the requester physically was.</summary>
    public Region Region { get; }

    /// <summary>Gets the employer or legal entity (<c>TikTok US</c>, <c>ByteDance</c>), if known.</summary>
    /// <exception cref="ArgumentException">The value set holds U+0000 or an unpaired surrogate.</exception>
    public string? Organization { get; init => field = EventText.Check(value, nameof(Organization), "The requester's organization"); }

    /// <summary>Gets the roles the requester held (<c>engineer</c>, <c>master-admin</c>); empty when none were recorded.</summary>
    /// <remarks>The list is a copy taken when the requester is built, so the requester stays immutable.</remarks>
    /// <exception cref="ArgumentException">A role set is null, or holds U+0000 or an unpaired surrogate.</exception>
    public IReadOnlyList<string> Roles
    {
        get;
        init => field = value is null || value.Count == 0
            ? []
            : Array.AsReadOnly(EventText.CheckAll(value, nameof(Roles), "Role", "a role name", allowEmpty: true));
    } = [];

    /// <summary>Returns the id and region, as <c>emp-4411@CN</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Id}@{Region}";
}
