using System.Diagnostics.CodeAnalysis;

namespace DataAccessAudit.Classification;

/// <summary>
/// A category of data, named in a <see cref="Taxonomy"/>: what kind of personal data an access touched,
/// such as <c>protected</c>, <c>public</c> or <c>interoperability</c> in the Project Texas preset.
/// </summary>
/// <remarks>
/// A category is only a name; what crossing a border means for it is the policy's business.
/// Names compare ordinally, so <c>Protected</c> and <c>protected</c> are different categories and a
/// misspelt one shows up as unknown to the policy rather than quietly matching.
/// </remarks>
public readonly struct DataCategory : IEquatable<DataCategory>
{
    private readonly string? _name;

    /// <summary>Creates a category.</summary>
    /// <param name="name">The name, such as <c>protected</c>.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is null, empty or white space, or holds U+0000 or an unpaired surrogate (see
    /// <see cref="Events.AccessEvent"/>).
    /// </exception>
    public DataCategory(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Events.EventText.Check(name, nameof(name), "The data category name");
        _name = name;
    }

    /// <summary>Gets the name; empty for <c>default(DataCategory)</c>, which no taxonomy contains.</summary>
    public string Name => _name ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(DataCategory other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is DataCategory other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Returns the name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>Compares two categories by name.</summary>
    /// <param name="left">The first category.</param>
    /// <param name="right">The second category.</param>
    /// <returns>True when the names are equal.</returns>
    public static bool operator ==(DataCategory left, DataCategory right) => left.Equals(right);

    /// <summary>Compares two categories by name.</summary>
    /// <param name="left">The first category.</param>
    /// <param name="right">The second category.</param>
    /// <returns>True when the names differ.</returns>
    public static bool operator !=(DataCategory left, DataCategory right) => !left.Equals(right);
}
