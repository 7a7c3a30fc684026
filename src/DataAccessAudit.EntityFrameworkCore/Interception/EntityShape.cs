using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using DataAccessAudit.Classification;
using DataAccessAudit.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// What the audit reads from an entity type of the model, worked out once per type: its name and category, where its
/// home region and person key are, and what tells two of its rows apart.
/// </summary>
/// <remarks>
/// Everything comes from the model's entity type, never from the runtime type of the instance: a lazy-loading proxy
/// (<c>Castle.Proxies.PersonProxy</c>) overrides the virtual properties without their attributes, and is the same entity.
/// An owned type's data belongs to its owner's person: the owner's shape takes the owned types' classifications, and
/// the owned type's shape is named after its owner.
/// </remarks>
internal sealed class EntityShape
{
    private readonly Value? _homeRegion;
    private readonly Value? _subjectKey;
    private readonly IProperty[]? _identity;

    private EntityShape(string name, DataCategory category, Value? homeRegion, Value? subjectKey, IProperty[]? identity, EntityShape? owner, bool ownsTypes = false)
    {
        Name = name;
        Category = category;
        _homeRegion = homeRegion;
        _subjectKey = subjectKey;
        _identity = identity;
        Owner = owner;
        OwnsTypes = ownsTypes;
    }

    /// <summary>
    /// Gets a value indicating whether the entity owns types (<c>OwnsOne</c>, <c>OwnsMany</c>) whose rows may be read
    /// beside its own: its rows' keys are then kept while their reader is open, to tell its owned rows from other
    /// owners' (see <see cref="RowKeyOf"/>).
    /// </summary>
    public bool OwnsTypes { get; }

    public string Name { get; }

    public DataCategory Category { get; }

    /// <summary>Gets a value indicating whether the entity names its person (<see cref="SubjectKeyAttribute"/>).</summary>
    public bool HasSubjectKey => _subjectKey is not null;

    /// <summary>Gets the shape of the entity that owns this owned type's rows (the outermost owner), or null for an entity of its own.</summary>
    public EntityShape? Owner { get; }

    /// <summary>Gets the shape of a classified entity type, or null when nothing on it is classified (its reads are not personal data).</summary>
    public static EntityShape? Of(IEntityType entityType, Taxonomy taxonomy, Func<IEntityType, EntityShape?> shapeOf)
    {
        if (entityType.FindOwnership() is { } ownership)
        {
            // Rows of an owned type are materialised with their owner's, or alone when a query selects them: either
            // way they are the owner's person's data, known by the owner's key (the ownership's foreign key).
            var owner = entityType;
            while (owner.FindOwnership() is { } outer)
            {
                owner = outer.PrincipalEntityType;
            }

            return shapeOf(owner) is { } ownerShape
                ? new EntityShape(ownerShape.Name, ownerShape.Category, null, null, [.. ownership.Properties], ownerShape)
                : null;
        }

        if (!TryGetCategory(entityType, taxonomy, out var category))
        {
            return null;
        }

        var type = ClrTypeOf(entityType);
        Value? homeRegion = null;
        Value? subjectKey = null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // Attribute.IsDefined honours inherit for properties (PropertyInfo.IsDefined does not), so an override of
            // a marked virtual property counts.
            if (Attribute.IsDefined(property, typeof(HomeRegionAttribute), inherit: true))
            {
                homeRegion = property.PropertyType == typeof(string) || property.PropertyType == typeof(Region) || property.PropertyType == typeof(Region?)
                    ? new Value(property, entityType.FindProperty(property.Name))
                    : throw new InvalidOperationException(
                        $"{type.Name}.{property.Name} is marked [HomeRegion] but is a {property.PropertyType.Name}: expected a string holding an ISO 3166-1 alpha-2 code, or a Region.");
            }

            if (Attribute.IsDefined(property, typeof(SubjectKeyAttribute), inherit: true))
            {
                subjectKey = new Value(property, entityType.FindProperty(property.Name));
            }
        }

        var ownsTypes = entityType.GetNavigations().Any(navigation => navigation.ForeignKey.IsOwnership && !navigation.IsOnDependent);
        return new EntityShape(type.Name, category, homeRegion, subjectKey, entityType.FindPrimaryKey() is { } key ? [.. key.Properties] : null, owner: null, ownsTypes);
    }

    /// <summary>
    /// Gets the home region of one row, or null when the entity has no <see cref="HomeRegionAttribute"/> property;
    /// a value that is no region fails naming the entity and the value, unless it is null and there is a default.
    /// </summary>
    public Region? HomeRegionOf(in MaterializationInterceptionData data, object entity, Region? defaultRegion)
    {
        if (_homeRegion is not { } property)
        {
            return null;
        }

        var value = property.Read(data, entity);
        if (value is Region region && !region.IsUnknown)
        {
            return region;
        }

        if (value is string code && Region.TryParse(code, out region) && !region.IsUnknown)
        {
            return region;
        }

        if (value is null && defaultRegion is { } fallback)
        {
            return fallback;
        }

        throw new InvalidOperationException(
            $"{Name}.{property.Name} is \"{value}\": expected the ISO 3166-1 alpha-2 code of the person's home region, such as US; the read is not recorded as anywhere.");
    }

    /// <summary>
    /// Gets what tells the person of one row apart: the subject key, else the row's primary key. A query that resolves
    /// identities (tracking, or with identity resolution) materialises one instance per key, so there the instance
    /// itself will do and nothing is boxed; a keyless entity's rows count one each.
    /// </summary>
    public object SubjectOf(in MaterializationInterceptionData data, object entity)
    {
        if (_subjectKey is { } subjectKey && subjectKey.Read(data, entity) is { } subject)
        {
            return subject;
        }

        if (_identity is null
            || (Owner is null && data.QueryTrackingBehavior is QueryTrackingBehavior.TrackAll or QueryTrackingBehavior.NoTrackingWithIdentityResolution))
        {
            return entity;
        }

        if (_identity.Length == 1)
        {
            return data.GetPropertyValue(_identity[0]) ?? entity;
        }

        var values = new object?[_identity.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = data.GetPropertyValue(_identity[i]);
        }

        return values;
    }

    /// <summary>
    /// Gets the owner's key of one row: for an owner, its primary key; for an owned type, the ownership's foreign key,
    /// which holds its owner's primary key. Equal for an owner's row and the rows it owns; null for a keyless entity.
    /// </summary>
    public object? RowKeyOf(in MaterializationInterceptionData data)
    {
        if (_identity is null)
        {
            return null;
        }

        if (_identity.Length == 1)
        {
            return data.GetPropertyValue(_identity[0]);
        }

        var values = new object?[_identity.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = data.GetPropertyValue(_identity[i]);
        }

        return new CompositeKey(values);
    }

    // A composite key's values, equal by value, as a set of keys needs them.
    private sealed class CompositeKey(object?[] values)
    {
        private readonly object?[] _values = values;

        public override bool Equals(object? obj) => obj is CompositeKey other && _values.SequenceEqual(other._values);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            foreach (var value in _values)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }

    // The most protected of the classifications on the entity and on the types it owns, as for one record: reading
    // a customer reads its owned address.
    private static bool TryGetCategory(IEntityType entityType, Taxonomy taxonomy, out DataCategory category)
    {
        var found = taxonomy.TryGetRecordCategory(ClrTypeOf(entityType), out category);
        foreach (var navigation in entityType.GetNavigations())
        {
            if (navigation.ForeignKey.IsOwnership && !navigation.IsOnDependent
                && TryGetCategory(navigation.TargetEntityType, taxonomy, out var owned)
                && (!found || IsMoreProtected(owned, category, taxonomy)))
            {
                category = owned;
                found = true;
            }
        }

        return TakeComplexTypes(entityType, taxonomy, ref category, found);
    }

    // Complex properties (value objects kept in their owner's row, EF Core's successor to owned types, nested to any
    // depth) classify their owner as owned types do: a protected diagnosis inside a patient makes the patient's rows
    // protected data, which the entity's own properties alone would not show.
    private static bool TakeComplexTypes(ITypeBase type, Taxonomy taxonomy, ref DataCategory category, bool found)
    {
        foreach (var complex in type.GetComplexProperties())
        {
            if (taxonomy.TryGetRecordCategory(ClrTypeOf(complex.ComplexType), out var inner) && (!found || IsMoreProtected(inner, category, taxonomy)))
            {
                category = inner;
                found = true;
            }

            found = TakeComplexTypes(complex.ComplexType, taxonomy, ref category, found);
        }

        return found;
    }

    private static bool IsMoreProtected(DataCategory candidate, DataCategory current, Taxonomy taxonomy) =>
        taxonomy.TryGetRule(candidate, out var rule) && rule == CrossBorderRule.RequiresApproval
        && !(taxonomy.TryGetRule(current, out var currentRule) && currentRule == CrossBorderRule.RequiresApproval);

    [UnconditionalSuppressMessage("Trimming", "IL2073", Justification = "Entity types are kept by the EF Core model that materialises them; only their public properties are read.")]
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    private static Type ClrTypeOf(ITypeBase type) => type.ClrType;

    /// <summary>A marked property: read from the row when the model maps it, else from the entity.</summary>
    private readonly struct Value(PropertyInfo info, IProperty? mapped)
    {
        public string Name => info.Name;

        public object? Read(in MaterializationInterceptionData data, object entity) =>
            mapped is not null ? data.GetPropertyValue(mapped) : info.GetValue(entity);
    }
}
