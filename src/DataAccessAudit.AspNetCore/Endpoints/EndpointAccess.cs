using DataAccessAudit.AspNetCore;
using DataAccessAudit.Classification;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;

namespace DataAccessAudit.AspNetCore.Endpoints;

/// <summary>
/// An <see cref="AuditedAccessAttribute"/> checked against the policy's taxonomy and with its templates parsed: a
/// misspelt category or template fails when the endpoint is built, not on the request an auditor later asks about.
/// </summary>
internal sealed class EndpointAccess
{
    private readonly AccessTemplate? _resourceId;
    private readonly Func<HttpContext, string>? _resourceIdResolver;
    private readonly AccessTemplate? _dataRegion;
    private readonly Region? _constantDataRegion;
    private readonly Func<HttpContext, Region>? _dataRegionResolver;
    private readonly AccessTemplate? _storedIn;
    private readonly Region? _constantStoredIn;

    private EndpointAccess(Taxonomy taxonomy, string endpointName, AuditedAccessAttribute declaration, DataCategory category, string? resourceType)
    {
        Taxonomy = taxonomy;
        EndpointName = endpointName;
        Category = category;
        ResourceType = resourceType;
        Action = declaration.Action is { Length: > 0 } action
            ? action
            : throw new InvalidOperationException($"{endpointName}: the audited access has an empty action: expected a verb such as read, write, export or delete.");
        Purpose = declaration.Purpose;
        _resourceIdResolver = declaration.ResourceIdResolver;
        _resourceId = declaration.ResourceId is { } id ? AccessTemplate.Parse(id, "resource id", endpointName) : null;
        _dataRegionResolver = declaration.DataRegionResolver;
        if (declaration.DataRegion is { } region)
        {
            (_dataRegion, _constantDataRegion) = RegionTemplate(region, "data region", endpointName, allowUnknown: false);
        }

        if (declaration.StoredIn is { } storedIn)
        {
            (_storedIn, _constantStoredIn) = RegionTemplate(storedIn, "storedIn region", endpointName, allowUnknown: true);
        }
    }

    public Taxonomy Taxonomy { get; }

    public string EndpointName { get; }

    public DataCategory Category { get; }

    public string? ResourceType { get; }

    public string Action { get; }

    public string? Purpose { get; }

    public static EndpointAccess Compile(AuditedAccessAttribute declaration, Taxonomy taxonomy, string endpointName)
    {
        if (declaration.ResourceClrType is { } type)
        {
            if (!taxonomy.TryGetRecordCategory(type, out var category))
            {
                throw new InvalidOperationException(
                    $"{endpointName}: the audited resource type {type.FullName} carries no classification of taxonomy '{taxonomy.Name}' " +
                    $"on the type or its public properties: expected an attribute such as [ProtectedData] or [PublicData], or a category name ({string.Join(", ", taxonomy.Categories)}).");
            }

            return new EndpointAccess(taxonomy, endpointName, declaration, category, declaration.ResourceType ?? type.Name);
        }

        var named = new DataCategory(declaration.Category!);
        if (!taxonomy.Contains(named))
        {
            throw new InvalidOperationException(
                $"{endpointName}: the audited access names the data category '{named}', which taxonomy '{taxonomy.Name}' does not define: expected one of {string.Join(", ", taxonomy.Categories)}.");
        }

        return new EndpointAccess(taxonomy, endpointName, declaration, named, declaration.ResourceType);
    }

    /// <summary>
    /// The access an endpoint declares, compiled and checked against that endpoint: its templates name only values of
    /// its route, and nothing on it lets the output cache store its responses. The minimal API filter, the action
    /// filter and the start-up check of every endpoint all come here, so a declaration meets the same rules, with the
    /// same messages, wherever it is first seen.
    /// </summary>
    /// <param name="declaration">The declaration closest to the handler.</param>
    /// <param name="taxonomy">The policy's taxonomy.</param>
    /// <param name="endpointName">The endpoint's or action's display name, for the messages.</param>
    /// <param name="pattern">The endpoint's route, or null outside endpoint routing.</param>
    /// <param name="metadata">The endpoint's metadata, where output caching would be declared.</param>
    public static EndpointAccess ForEndpoint(AuditedAccessAttribute declaration, Taxonomy taxonomy, string endpointName, RoutePattern? pattern, IEnumerable<object> metadata)
    {
        var access = declaration.Compile(taxonomy, endpointName);
        if (pattern is not null)
        {
            access.CheckRouteValues(pattern, endpointName);
        }

        OutputCacheGuard.RefuseDeclaredCaching(metadata, endpointName);
        return access;
    }

    /// <summary>
    /// Checks that every route value the templates name is a parameter (or a required or default value) of the
    /// endpoint's route, so a misspelt name stops the app when it starts instead of failing every request.
    /// </summary>
    public void CheckRouteValues(RoutePattern pattern, string endpointName)
    {
        Check(_resourceId, "resource id");
        Check(_dataRegion, "data region");
        Check(_storedIn, "storedIn region");

        void Check(AccessTemplate? template, string property)
        {
            foreach (var name in template?.RouteValueNames ?? [])
            {
                if (pattern.GetParameter(name) is null && !pattern.Defaults.ContainsKey(name) && !pattern.RequiredValues.ContainsKey(name))
                {
                    throw new InvalidOperationException(
                        $"{endpointName}: the audited access {property} '{template!.Text}' names the route value '{name}', which the route " +
                        $"'{pattern.RawText}' does not have: expected one of its parameters ({ParameterList(pattern)}).");
                }
            }
        }
    }

    public string ResourceId(HttpContext context) =>
        _resourceIdResolver is { } resolve ? resolve(context)
        : _resourceId is { } template ? template.Render(context)
        : context.Request.Path.Value is { Length: > 0 } path ? path
        : "/";

    /// <summary>Tells the data's home region; false with the offending text when a route value is not a region.</summary>
    public bool TryGetDataRegion(HttpContext context, Region? fallback, out Region region, out string? problem)
    {
        problem = null;
        if (_dataRegionResolver is { } resolve)
        {
            region = resolve(context);
        }
        else if (_constantDataRegion is { } constant)
        {
            region = constant;
        }
        else if (_dataRegion is { SingleRouteValue: { } name })
        {
            var text = AccessTemplate.Value(context, name);
            if (!Region.TryParse(text, out region) || region.IsUnknown)
            {
                problem = $"The route value '{name}' is \"{text}\": expected the ISO 3166-1 alpha-2 code of the data's home region, such as US or IE.";
                return false;
            }
        }
        else if (fallback is { } configured)
        {
            region = configured;
        }
        else
        {
            throw new InvalidOperationException(
                $"{EndpointName}: the audited access does not say where its data is at home: set DataRegion (such as \"US\" or \"{{region}}\") " +
                "or DataRegionResolver on the declaration, or HttpAuditOptions.DefaultDataRegion.");
        }

        if (region.IsUnknown)
        {
            throw new InvalidOperationException(
                $"{EndpointName}: the data region resolver returned the unknown region: the home of the data must be known to the app that holds it.");
        }

        return true;
    }

    /// <summary>Tells the serving data centre's region, if declared; false with the offending text when a route value is not a region.</summary>
    public bool TryGetStoredIn(HttpContext context, Region? fallback, out Region? storedIn, out string? problem)
    {
        problem = null;
        storedIn = _constantStoredIn ?? fallback;
        if (_storedIn is { SingleRouteValue: { } name })
        {
            var text = AccessTemplate.Value(context, name);
            if (!Region.TryParse(text, out var region))
            {
                problem = $"The route value '{name}' is \"{text}\": expected the ISO 3166-1 alpha-2 code of the serving data centre's region, such as US.";
                return false;
            }

            storedIn = region;
        }

        return true;
    }

    private static string ParameterList(RoutePattern pattern) =>
        pattern.Parameters.Count == 0 ? "it has none" : string.Join(", ", pattern.Parameters.Select(parameter => "{" + parameter.Name + "}"));

    private static (AccessTemplate? Template, Region? Constant) RegionTemplate(string text, string property, string endpointName, bool allowUnknown)
    {
        var template = AccessTemplate.Parse(text, property, endpointName);
        if (template.Constant is { } constant)
        {
            return Region.TryParse(constant, out var region) && (allowUnknown || !region.IsUnknown)
                ? (null, region)
                : throw new InvalidOperationException(
                    $"{endpointName}: the audited access {property} \"{constant}\" is not a region: expected an ISO 3166-1 alpha-2 code such as US, or one route value such as {{region}}.");
        }

        return template.SingleRouteValue is not null
            ? (template, null)
            : throw new InvalidOperationException(
                $"{endpointName}: the audited access {property} '{text}' mixes text and route values: expected a code such as US or exactly one route value such as {{region}}.");
    }
}
