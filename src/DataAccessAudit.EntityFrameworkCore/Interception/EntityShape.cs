using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using DataAccessAudit.Classification;
using DataAccessAudit.Regions;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>What the audit reads from an entity type, worked out once per type: its category, home region and person key.</summary>
internal sealed class EntityShape
{
    private readonly PropertyInfo? _homeRegion;
    private readonly PropertyInfo? _subjectKey;
    private readonly Region? _defaultRegion;

    private EntityShape(Type type, DataCategory category, PropertyInfo? homeRegion, PropertyInfo? subjectKey, Region? defaultRegion)
    {
        Name = type.Name;
        Category = category;
        _homeRegion = homeRegion;
        _subjectKey = subjectKey;
        _defaultRegion = defaultRegion;
    }

    public string Name { get; }

    public DataCategory Category { get; }

    /// <summary>Gets a value indicating whether the entity names its person (<see cref="SubjectKeyAttribute"/>).</summary>
    public bool HasSubjectKey => _subjectKey is not null;

    /// <summary>Gets the shape of a classified entity type, or null when nothing on it is classified (its reads are not personal data).</summary>
    public static EntityShape? Of([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, Taxonomy taxonomy, Region? defaultRegion)
    {
        if (!taxonomy.TryGetRecordCategory(type, out var category))
        {
            return null;
        }

        PropertyInfo? homeRegion = null;
        PropertyInfo? subjectKey = null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.IsDefined(typeof(HomeRegionAttribute), inherit: true))
            {
                homeRegion = property.PropertyType == typeof(string) || property.PropertyType == typeof(Region) || property.PropertyType == typeof(Region?)
                    ? property
                    : throw new InvalidOperationException(
                        $"{type.Name}.{property.Name} is marked [HomeRegion] but is a {property.PropertyType.Name}: expected a string holding an ISO 3166-1 alpha-2 code, or a Region.");
            }

            if (property.IsDefined(typeof(SubjectKeyAttribute), inherit: true))
            {
                subjectKey = property;
            }
        }

        if (homeRegion is null && defaultRegion is null)
        {
            throw new InvalidOperationException(
                $"The entity {type.Name} holds {category} data but does not say where it is at home: mark the property that holds the person's " +
                "region with [HomeRegion], or set EntityAuditOptions.DefaultDataRegion (such as \"US\") in UseDataAccessAudit.");
        }

        return new EntityShape(type, category, homeRegion, subjectKey, defaultRegion);
    }

    /// <summary>Gets the home region of one row; a value that is no region fails naming the entity and the value.</summary>
    public Region HomeRegionOf(object entity)
    {
        if (_homeRegion is null)
        {
            return _defaultRegion!.Value;
        }

        var value = _homeRegion.GetValue(entity);
        if (value is Region region && !region.IsUnknown)
        {
            return region;
        }

        if (value is string code && Region.TryParse(code, out region) && !region.IsUnknown)
        {
            return region;
        }

        if (value is null && _defaultRegion is { } fallback)
        {
            return fallback;
        }

        throw new InvalidOperationException(
            $"{Name}.{_homeRegion.Name} is \"{value}\": expected the ISO 3166-1 alpha-2 code of the person's home region, such as US; the read is not recorded as anywhere.");
    }

    /// <summary>Gets what tells the person of one row apart: the subject key, or the entity itself.</summary>
    public object SubjectOf(object entity) => _subjectKey?.GetValue(entity) ?? entity;
}
