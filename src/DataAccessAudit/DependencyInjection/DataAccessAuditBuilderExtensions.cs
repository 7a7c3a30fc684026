using System.Diagnostics.CodeAnalysis;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Chooses the policy and the sinks of the audit.</summary>
public static class DataAccessAuditBuilderExtensions
{
    /// <summary>Uses a policy built in code, such as <see cref="AccessPolicy.ProjectTexas"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="policy">The policy.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder UsePolicy(this IDataAccessAuditBuilder builder, AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        builder.Services.Replace(ServiceDescriptor.Singleton(policy));
        return builder;
    }

    /// <summary>
    /// Uses a policy described in configuration (the shape of <see cref="AccessPolicyOptions"/>, as in a policy file),
    /// validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section holding the policy, such as <c>configuration.GetSection("DataAccessAudit:Policy")</c>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// A key the policy format does not know is an error (a misspelt <c>CountriesOfConcern</c> must not silently switch a
    /// check off), and so is every problem <see cref="AccessPolicyOptions.Validate"/> finds: the host fails to start
    /// with an <see cref="OptionsValidationException"/> naming each offending entry.
    /// </remarks>
    public static IDataAccessAuditBuilder UsePolicy(this IDataAccessAuditBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        // Unknown keys are not the binder's error (it would stop at the first): they are reported all together, with
        // every invalid value, when the host starts.
        builder.Services.AddSingleton<IValidateOptions<AccessPolicyOptions>>(new ConfigurationSectionValidator<AccessPolicyOptions>(
            Options.DefaultName, section, AccessPolicyConfigurationShape.Value, "policy setting", "Data access audit policy: "));
        return UsePolicyOptions(builder, options => options.Bind(section));
    }

    /// <summary>Uses a policy described as data in code, validated when the host starts.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Fills the policy options; it runs after any configuration section given before.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Start from the preset with <c>AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas)</c> when only a few
    /// entries change. An invalid policy fails the host start with an <see cref="OptionsValidationException"/> naming
    /// each offending entry.
    /// </remarks>
    public static IDataAccessAuditBuilder UsePolicy(this IDataAccessAuditBuilder builder, Action<AccessPolicyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return UsePolicyOptions(builder, options => options.Configure(configure));
    }

    /// <summary>Adds a sink that every recorded access is written to.</summary>
    /// <typeparam name="TSink">The sink's type, created by the container as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddSink<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSink>(this IDataAccessAuditBuilder builder)
        where TSink : class, IAccessEventSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TSink>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccessEventSink, TSink>(sp => sp.GetRequiredService<TSink>()));
        return builder;
    }

    /// <summary>Adds a sink instance that every recorded access is written to.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="sink">The sink.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder AddSink(this IDataAccessAuditBuilder builder, IAccessEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sink);
        builder.Services.AddSingleton(sink);
        return builder;
    }

    private static IDataAccessAuditBuilder UsePolicyOptions(IDataAccessAuditBuilder builder, Action<OptionsBuilder<AccessPolicyOptions>> fill)
    {
        var options = builder.Services.AddOptions<AccessPolicyOptions>();
        fill(options);
        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessPolicyOptions>, AccessPolicyOptionsValidator>());
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => sp.GetRequiredService<IOptions<AccessPolicyOptions>>().Value.ToPolicy()));
        return builder;
    }
}
