using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace DataAccessAudit.DependencyInjection;

// A read-only view of a configuration section without the entries the binder must not see: values it could not
// convert (it would throw on the first, before the options are validated) and list entries that are not indexes. Those
// are reported by ConfigurationShape.Check; the rest binds, so the options' validators judge every other value.
internal sealed class BindableSection(IConfigurationSection section, ISet<string> hidden) : IConfigurationSection
{
    public string Key => section.Key;

    public string Path => section.Path;

    public string? Value
    {
        get => hidden.Contains(section.Path) ? null : section.Value;
        set => throw new NotSupportedException("A section being bound is read-only.");
    }

    public string? this[string key]
    {
        get => GetSection(key).Value;
        set => throw new NotSupportedException("A section being bound is read-only.");
    }

    public IEnumerable<IConfigurationSection> GetChildren() =>
        section.GetChildren().Where(child => !hidden.Contains(child.Path)).Select(child => new BindableSection(child, hidden));

    public IChangeToken GetReloadToken() => section.GetReloadToken();

    public IConfigurationSection GetSection(string key) => new BindableSection(section.GetSection(key), hidden);
}
