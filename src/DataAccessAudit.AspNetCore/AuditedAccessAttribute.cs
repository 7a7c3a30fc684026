using System.Diagnostics.CodeAnalysis;
using DataAccessAudit.AspNetCore.Endpoints;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Http;

namespace DataAccessAudit.AspNetCore;

/// <summary>
/// Declares that an endpoint reads (or writes, exports...) personal data, so that every request to it is recorded
/// before the handler runs, and refused in enforce mode when the policy denies it.
/// </summary>
/// <remarks>
/// <para>
/// Put it on a controller, an action or a Razor page model (<c>[AuditedAccess("protected", ResourceId = "user/{userId}/messages")]</c>),
/// or give it to a minimal API endpoint or group with <c>.AuditsAccess(...)</c>. One event is recorded per request
/// whichever way it was declared; the declaration closest to the handler wins: an action's over its controller's, a
/// controller's over one given to <c>MapControllers()</c>, an endpoint's over its groups', an inner group's over an
/// outer one's.
/// </para>
/// <para>
/// <see cref="ResourceId"/>, <see cref="DataRegion"/> and <see cref="StoredIn"/> are templates: text with route values
/// in braces, such as <c>user/{userId}/messages</c> or <c>{region}</c>. A template without braces is a constant. From
/// code, <see cref="ResourceIdResolver"/> and <see cref="DataRegionResolver"/> take a delegate instead, for a data
/// region that only the app's own data can tell.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class AuditedAccessAttribute : Attribute
{
    private EndpointAccess? _compiled;

    /// <summary>Declares an access to data of a category of the policy's taxonomy.</summary>
    /// <param name="category">The category's name, such as <c>protected</c>, <c>public</c> or <c>interoperability</c>.</param>
    public AuditedAccessAttribute(string category)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        Category = category;
    }

    /// <summary>
    /// Declares an access to a resource type whose classification attributes (<c>[ProtectedData]</c>,
    /// <c>[PublicData]</c>...) on the type or its properties give the category: the most protected one wins.
    /// </summary>
    /// <param name="resourceType">The type of the data the endpoint returns or changes, such as <c>Message</c>.</param>
    public AuditedAccessAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        ResourceClrType = resourceType;
    }

    /// <summary>Gets the category name given to the constructor, or null when a resource type was given.</summary>
    public string? Category { get; }

    /// <summary>Gets the resource type given to the constructor, or null when a category was given.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public Type? ResourceClrType { get; }

    /// <summary>Gets or sets the template of the resource id, such as <c>user/{userId}/messages</c>. Default: the request path.</summary>
    public string? ResourceId { get; set; }

    /// <summary>Gets or sets the kind of record (<c>resource.type</c>), such as <c>direct-message</c>. Default: none, or the resource type's name.</summary>
    public string? ResourceType { get; set; }

    /// <summary>
    /// Gets or sets the template of the data's home region, such as <c>{region}</c> or <c>US</c>. Default:
    /// <see cref="DataRegionResolver"/>, else <c>HttpRequesterOptions.DefaultDataRegion</c>.
    /// </summary>
    public string? DataRegion { get; set; }

    /// <summary>Gets or sets the template of the region of the data centre that serves the data, such as <c>US</c>. Default: <c>HttpRequesterOptions.StoredIn</c>.</summary>
    public string? StoredIn { get; set; }

    /// <summary>Gets or sets the action recorded. Default: <c>read</c>.</summary>
    public string Action { get; set; } = "read";

    /// <summary>Gets or sets the business purpose recorded, if any.</summary>
    public string? Purpose { get; set; }

    /// <summary>Gets or sets a delegate that tells the resource id from the request; it takes precedence over <see cref="ResourceId"/>.</summary>
    public Func<HttpContext, string>? ResourceIdResolver { get; set; }

    /// <summary>Gets or sets a delegate that tells the data's home region from the request; it takes precedence over <see cref="DataRegion"/>.</summary>
    public Func<HttpContext, Region>? DataRegionResolver { get; set; }

    /// <summary>The declaration compiled against a policy's taxonomy, once per attribute instance.</summary>
    internal EndpointAccess Compile(Classification.Taxonomy taxonomy, string endpointName)
    {
        var compiled = _compiled;
        if (compiled is null || !ReferenceEquals(compiled.Taxonomy, taxonomy))
        {
            compiled = EndpointAccess.Compile(this, taxonomy, endpointName);
            _compiled = compiled;
        }

        return compiled;
    }
}
