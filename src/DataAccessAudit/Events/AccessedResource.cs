using DataAccessAudit.Classification;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Events;

/// <summary>What was accessed: a record, its category, and where the people it is about live.</summary>
public sealed class AccessedResource
{
    /// <summary>Creates a resource.</summary>
    /// <param name="id">The record's id, such as <c>user/8812/messages</c>.</param>
    /// <param name="category">The data category, from the policy's taxonomy.</param>
    /// <param name="region">The home region of the data: the region of the people it is about.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="id"/> is null or empty or holds U+0000 or an unpaired surrogate (see <see cref="AccessEvent"/>), or
    /// <paramref name="category"/> has no name, or <paramref name="region"/> is <see cref="Region.Unknown"/>: the home of
    /// the data is always known to the app that holds it, and no reader of the log accepts an unknown one.
    /// </exception>
    public AccessedResource(string id, DataCategory category, Region region)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        EventText.Check(id, nameof(id), "The resource id");
        if (category.Name.Length == 0)
        {
            throw new ArgumentException("The resource's data category has no name: use a category of the policy's taxonomy.", nameof(category));
        }

        if (region.IsUnknown)
        {
            throw new ArgumentException(
                "The resource's home region is ZZ (unknown): expected the ISO 3166-1 alpha-2 code of the region of the people the data is about, such as US.",
                nameof(region));
        }

        Id = id;
        Category = category;
        Region = region;
    }

    /// <summary>Gets the record's id.</summary>
    public string Id { get; }

    /// <summary>Gets the data category.</summary>
    public DataCategory Category { get; }

    /// <summary>Gets the home region of the data: the region of the people it is about.</summary>
    public Region Region { get; }

    /// <summary>Gets the kind of record (<c>direct-message</c>, <c>public-profile</c>), if known.</summary>
    /// <exception cref="ArgumentException">The value set holds U+0000 or an unpaired surrogate.</exception>
    public string? Type { get; init => field = EventText.Check(value, nameof(Type), "The resource type"); }

    /// <summary>Gets the region of the data centre that served the access, if known.</summary>
    public Region? StoredIn { get; init; }

    /// <summary>Returns the id and category.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Id} ({Category}, {Region})";
}
