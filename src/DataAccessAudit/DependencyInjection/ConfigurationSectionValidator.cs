using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

// Fails the start of the host on every key of an options section that has no place in the options and every value the
// binder could not convert, named by configuration path (DataAccessAudit:Http:DefaultDataRegin). It runs beside the
// options' own validators, so whoever fixes appsettings.json sees all its mistakes in one OptionsValidationException.
internal sealed class ConfigurationSectionValidator<TOptions>(string? optionsName, IConfigurationSection section, ConfigurationShape shape, string setting, string prefix = "")
    : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (name != (optionsName ?? Options.DefaultName))
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = new List<string>();
        shape.Check(section, setting, problems);
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => prefix + problem));
    }
}
