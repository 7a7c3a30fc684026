using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

// How every options section of the audit is bound from configuration: unknown keys and values the binder cannot convert
// are not the binder's errors (it would throw on the first, naming the .NET type), but problems reported with the
// options' other ones when the host starts (ConfigurationSectionValidator).
internal static class ConfigurationSectionBinding
{
    // bind is the binder's call for the concrete options type, (section, options) => section.Bind(options), so that
    // the configuration binding generator writes it without reflection.
    public static OptionsBuilder<TOptions> BindSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        this OptionsBuilder<TOptions> builder, IConfigurationSection section, Action<IConfiguration, TOptions> bind)
        where TOptions : class
    {
        var shape = ConfigurationShape.Of<TOptions>();
        var setting = $"setting of {typeof(TOptions).Name}";
        builder.Configure(options => bind(new BindableSection(section, shape.Check(section, setting, [])), options));
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new ConfigurationSectionValidator<TOptions>(builder.Name, section, shape, setting));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(builder.Name, section));
        return builder;
    }
}
