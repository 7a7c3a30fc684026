namespace DataAccessAudit.Classification;

/// <summary>
/// A named set of data categories, each with what crossing a border means for it.
/// </summary>
/// <remarks>
/// <see cref="ProjectTexas"/> is the preset; any organisation can define its own
/// (for example <c>health</c>, <c>financial</c>, <c>telemetry</c>).
/// </remarks>
public sealed partial class Taxonomy
{
    private readonly Dictionary<string, CrossBorderRule> _rules;

    /// <summary>Creates a taxonomy.</summary>
    /// <param name="name">The name, such as <c>project-texas</c>.</param>
    /// <param name="categories">Each category with its cross-border rule; names must be distinct.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, <paramref name="categories"/> is empty, or a category appears twice.</exception>
    public Taxonomy(string name, IEnumerable<KeyValuePair<DataCategory, CrossBorderRule>> categories)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(categories);
        Name = name;
        _rules = new Dictionary<string, CrossBorderRule>(StringComparer.Ordinal);
        var list = new List<DataCategory>();
        foreach (var (category, rule) in categories)
        {
            if (category.Name.Length == 0)
            {
                throw new ArgumentException($"Taxonomy '{name}' has a category without a name.", nameof(categories));
            }

            if (!Enum.IsDefined(rule))
            {
                throw new ArgumentException($"Taxonomy '{name}': category '{category}' has the cross-border rule {(int)rule}, which is not a {nameof(CrossBorderRule)}.", nameof(categories));
            }

            if (!_rules.TryAdd(category.Name, rule))
            {
                throw new ArgumentException($"Taxonomy '{name}' names the category '{category}' twice.", nameof(categories));
            }

            list.Add(category);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException($"Taxonomy '{name}' must name at least one category.", nameof(categories));
        }

        Categories = list.AsReadOnly();
    }

    /// <summary>The Project Texas category of non-public data about people: <c>protected</c>.</summary>
    public static DataCategory Protected { get; } = new("protected");

    /// <summary>The Project Texas category of what people made public: <c>public</c>.</summary>
    public static DataCategory Public { get; } = new("public");

    /// <summary>The Project Texas category of excepted business data needed across borders: <c>interoperability</c>.</summary>
    public static DataCategory Interoperability { get; } = new("interoperability");

    /// <summary>
    /// Gets the Project Texas taxonomy, named <c>project-texas</c>: <see cref="Protected"/> requires approval to cross a
    /// border; <see cref="Public"/> and <see cref="Interoperability"/> may cross freely.
    /// </summary>
    public static Taxonomy ProjectTexas { get; } = new(
        "project-texas",
        [
            new(Protected, CrossBorderRule.RequiresApproval),
            new(Public, CrossBorderRule.Allowed),
            new(Interoperability, CrossBorderRule.Allowed),
        ]);

    /// <summary>Gets the name.</summary>
    public string Name { get; }

    /// <summary>Gets the categories in the order they were defined.</summary>
    public IReadOnlyList<DataCategory> Categories { get; }

    /// <summary>Tells whether the taxonomy defines a category.</summary>
    /// <param name="category">The category.</param>
    /// <returns>True when it is defined.</returns>
    public bool Contains(DataCategory category) => _rules.ContainsKey(category.Name);

    /// <summary>Gets the cross-border rule of a category.</summary>
    /// <param name="category">The category.</param>
    /// <param name="rule">The rule, when the category is defined.</param>
    /// <returns>True when the category is defined.</returns>
    public bool TryGetRule(DataCategory category, out CrossBorderRule rule) => _rules.TryGetValue(category.Name, out rule);

    /// <summary>Returns the name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
