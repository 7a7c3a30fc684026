using System.Text.Json.Serialization.Metadata;
using DataAccessAudit.Interchange;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.Policy;

// Reports every key of a policy's configuration section that the policy format does not know, together with the
// problems of the values (AccessPolicyOptionsValidator), in one start-up failure: a misspelt countriesOfConcern must
// not silently switch a check off, and whoever fixes the file should see every mistake at once, not the first. The
// known names are the policy file format's own (its source-generated JSON metadata), so the two cannot drift.
internal sealed class AccessPolicyConfigurationValidator(IConfigurationSection section) : IValidateOptions<AccessPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessPolicyOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = new List<string>();
        Check(section, PolicyJsonContext.Default.AccessPolicyOptions, problems);
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => $"Data access audit policy: {problem}"));
    }

    // The policy format's lists are IList<T>; JsonTypeInfo.ElementType is not there before .NET 9.
    private static Type? ElementType(Type list) => list.IsGenericType ? list.GetGenericArguments()[0] : null;

    private static void Check(IConfigurationSection section, JsonTypeInfo type, List<string> problems)
    {
        foreach (var child in section.GetChildren())
        {
            switch (type.Kind)
            {
                case JsonTypeInfoKind.Object:
                    var property = type.Properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
                    if (property is null)
                    {
                        problems.Add($"{child.Path}: '{child.Key}' is not a policy setting; expected one of {string.Join(", ", type.Properties.Select(p => p.Name))}");
                    }
                    else if (PolicyJsonContext.Default.GetTypeInfo(property.PropertyType) is { } propertyType)
                    {
                        Check(child, propertyType, problems);
                    }

                    break;
                case JsonTypeInfoKind.Enumerable when ElementType(type.Type) is { } elementType:
                    if (!int.TryParse(child.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                    {
                        problems.Add($"{child.Path}: '{child.Key}' is not a list index; {section.Path} is a list");
                    }
                    else if (PolicyJsonContext.Default.GetTypeInfo(elementType) is { } element)
                    {
                        Check(child, element, problems);
                    }

                    break;
                default:
                    problems.Add($"{child.Path}: '{child.Key}' is not a policy setting; {section.Path} is a single value");
                    break;
            }
        }
    }
}
