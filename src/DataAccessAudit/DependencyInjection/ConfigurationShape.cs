using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace DataAccessAudit.DependencyInjection;

// What a configuration section may hold where options are bound from it: an object with named members, a list, or a
// single value (with the values the binder can convert). Check reports, by configuration path, every key that has
// no place there and every value the binder cannot convert, all at once: the binder's own strict mode stops at the
// first unknown key, names the .NET type rather than the path, and hides the section's other mistakes. Every section
// the audit binds is checked by this one walk, whether its shape comes from an options class (Of) or from the policy
// file format's JSON metadata.
internal sealed class ConfigurationShape
{
    private readonly IReadOnlyList<KeyValuePair<string, ConfigurationShape>>? members;
    private readonly ConfigurationShape? element;
    private readonly Func<string, bool>? converts;
    private readonly string? expected;

    private ConfigurationShape(
        IReadOnlyList<KeyValuePair<string, ConfigurationShape>>? members = null,
        ConfigurationShape? element = null,
        Func<string, bool>? converts = null,
        string? expected = null)
    {
        this.members = members;
        this.element = element;
        this.converts = converts;
        this.expected = expected;
    }

    // A single value that is bound as it is written.
    public static ConfigurationShape Text { get; } = new();

    // A place whose content is not described, so nothing under it is checked.
    public static ConfigurationShape Unchecked { get; } = new();

    // An object whose members are matched by name in any case, as the binder matches them; listed in this order.
    public static ConfigurationShape Object(IEnumerable<KeyValuePair<string, ConfigurationShape>> members) => new(members: [.. members]);

    public static ConfigurationShape List(ConfigurationShape element) => new(element: element);

    // The sections bound from configuration are flat: single values and lists of them. Their members are the public
    // properties the binder sets (settable, or a list it fills); a property of another kind would bind unchecked, so
    // it fails here, in the tests of the options' registration, rather than silently in an app.
    public static ConfigurationShape Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>() =>
        Object(typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetIndexParameters().Length == 0 && (property.SetMethod?.IsPublic == true || ListElement(property.PropertyType) is not null))
            .Select(property => KeyValuePair.Create(property.Name, OfProperty(property))));

    // Adds a problem for every key under section that has no place in this shape and every value the binder could not
    // convert, each starting with its configuration path; setting names what a member is, such as "policy setting".
    // Returns the paths the binder must not see (the values it could not convert, the list entries that are not
    // indexes), so that binding what is left cannot throw and the options' own validators still judge every other value.
    public ISet<string> Check(IConfigurationSection section, string setting, ICollection<string> problems)
    {
        var unbindable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Check(section, setting, problems, unbindable);
        return unbindable;
    }

    private void Check(IConfigurationSection section, string setting, ICollection<string> problems, HashSet<string> unbindable)
    {
        if (ReferenceEquals(this, Unchecked))
        {
            return;
        }

        if (converts is not null)
        {
            if (!string.IsNullOrEmpty(section.Value) && !converts(section.Value))
            {
                problems.Add($"{section.Path}: \"{section.Value}\" is not {expected}");
                unbindable.Add(section.Path);
            }
            else if (section.Value?.Length == 0)
            {
                // An empty value (an environment variable set to nothing) leaves the default, as it does for a list.
                unbindable.Add(section.Path);
            }
        }
        else if (element is not null && !string.IsNullOrEmpty(section.Value))
        {
            // The binder fills a list from its entries only: a value written in its place would be dropped in silence.
            problems.Add($"{section.Path}: \"{section.Value}\" is a single value; {section.Path} is a list, written as {section.Key}:0, {section.Key}:1 and so on");
        }

        foreach (var child in section.GetChildren())
        {
            if (members is not null)
            {
                var member = members.FirstOrDefault(m => string.Equals(m.Key, child.Key, StringComparison.OrdinalIgnoreCase));
                if (member.Value is null)
                {
                    problems.Add($"{child.Path}: '{child.Key}' is not a {setting}; expected one of {string.Join(", ", members.Select(m => m.Key))}");
                }
                else
                {
                    member.Value.Check(child, setting, problems, unbindable);
                }
            }
            else if (element is not null)
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{child.Path}: '{child.Key}' is not a list index; {section.Path} is a list");
                    unbindable.Add(child.Path);
                }
                else
                {
                    element.Check(child, setting, problems, unbindable);
                }
            }
            else
            {
                problems.Add($"{child.Path}: '{child.Key}' is not a {setting}; {section.Path} is a single value");
            }
        }
    }

    private static ConfigurationShape OfProperty(PropertyInfo property) =>
        ListElement(property.PropertyType) is { } listElement
            ? List(OfValue(listElement) ?? throw Unsupported(property))
            : OfValue(property.PropertyType) ?? throw Unsupported(property);

    // The conversions of the generated binder: integers and TimeSpans invariantly, enums by name in any case (or by
    // number, which the options' ExpectedEnum rule then judges), booleans as true or false.
    private static ConfigurationShape? OfValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return Text;
        }

        if (type.IsEnum)
        {
            return new(converts: value => Enum.TryParse(type, value, ignoreCase: true, out _), expected: $"one of {string.Join(", ", Enum.GetNames(type))}");
        }

        return type == typeof(int) ? new(converts: value => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _), expected: $"a whole number from {int.MinValue} to {int.MaxValue}")
            : type == typeof(long) ? new(converts: value => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _), expected: $"a whole number from {long.MinValue} to {long.MaxValue}")
            : type == typeof(bool) ? new(converts: value => bool.TryParse(value, out _), expected: "true or false")
            : type == typeof(TimeSpan) ? new(converts: value => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _), expected: "a time span written d.hh:mm:ss, such as 1.00:00:00 for a day")
            : null;
    }

    private static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IList<>) || definition == typeof(ICollection<>) || definition == typeof(IEnumerable<>) || definition == typeof(List<>))
            ? type.GetGenericArguments()[0]
            : null;

    private static NotSupportedException Unsupported(PropertyInfo property) =>
        new($"{property.DeclaringType?.Name}.{property.Name} ({property.PropertyType.Name}) cannot be checked in configuration: expected a single value or a list of them.");
}
