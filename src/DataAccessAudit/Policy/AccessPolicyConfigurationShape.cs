using System.Text.Json.Serialization.Metadata;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Policy;

// Where a policy is bound from configuration, its keys are the policy file format's own: the shape comes from that
// format's source-generated JSON metadata (camel-case names, nested objects and lists), so the two cannot drift. The
// keys are then checked as every other section's are, by ConfigurationShape: a misspelt countriesOfConcern must not
// silently switch a check off.
internal static class AccessPolicyConfigurationShape
{
    public static ConfigurationShape Value { get; } = Of(PolicyJsonContext.Default.AccessPolicyOptions);

    private static ConfigurationShape Of(JsonTypeInfo type) => type.Kind switch
    {
        JsonTypeInfoKind.Object => ConfigurationShape.Object(type.Properties.Select(property => KeyValuePair.Create(property.Name, OfType(property.PropertyType)))),
        JsonTypeInfoKind.Enumerable when PolicyJsonContext.ElementTypeOf(type.Type) is { } element => ConfigurationShape.List(OfType(element)),
        _ => ConfigurationShape.Text,
    };

    private static ConfigurationShape OfType(Type type) =>
        PolicyJsonContext.Default.GetTypeInfo(type) is { } info ? Of(info) : ConfigurationShape.Unchecked;
}
