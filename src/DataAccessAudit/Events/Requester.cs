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
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty.</exception>
    public Requester(string id, Region region)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
        Region = region;
    }

    /// <summary>Gets the requester's id.</summary>
    public string Id { get; }

    /// <summary>Gets where the requester physically was.</summary>
    public Region Region { get; }

    /// <summary>Gets the employer or legal entity (<c>TikTok US</c>, <c>ByteDance</c>), if known.</summary>
    public string? Organization { get; init; }

    /// <summary>Gets the roles the requester held (<c>engineer</c>, <c>master-admin</c>); empty when none were recorded.</summary>
    public IReadOnlyList<string> Roles { get; init => field = value ?? []; } = [];

    /// <summary>Returns the id and region, as <c>emp-4411@CN</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Id}@{Region}";
}
