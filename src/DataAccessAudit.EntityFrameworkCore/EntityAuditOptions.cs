using DataAccessAudit.Events;

namespace DataAccessAudit.EntityFrameworkCore;

/// <summary>How a context's queries are recorded.</summary>
public sealed class EntityAuditOptions
{
    /// <summary>
    /// Gets or sets the home region of the data of entities without a <see cref="HomeRegionAttribute"/> property, such as
    /// <c>US</c> for a database of US users. Default: null, so such an entity fails its first query with an error naming it.
    /// </summary>
    public string? DefaultDataRegion { get; set; }

    /// <summary>Gets or sets the region of the data centre that holds this database, recorded as <c>storedIn</c>. Default: null (not recorded).</summary>
    public string? StoredIn { get; set; }

    /// <summary>
    /// Gets or sets the requester recorded when no <see cref="IRequesterAccessor"/> tells one (a background job outside
    /// any request). Default: null, which records <c>unknown</c> from an unknown region, so the policy reports it.
    /// </summary>
    public Requester? Requester { get; set; }

    /// <summary>Gets or sets the action recorded for a query. Default: <c>read</c>.</summary>
    public string Action { get; set; } = "read";

    /// <summary>
    /// Gets or sets the function that turns a person's key (the <see cref="SubjectKeyAttribute"/> property's value) into
    /// the pseudonymous token recorded in <c>subjectKeys</c>, so that distinct people can be counted across events: an
    /// HMAC under a key of yours, never the raw id. Default: null, which records only the count.
    /// </summary>
    public Func<object, string>? SubjectPseudonym { get; set; }

    /// <summary>Gets or sets the purpose recorded, if any.</summary>
    public string? Purpose { get; set; }
}
