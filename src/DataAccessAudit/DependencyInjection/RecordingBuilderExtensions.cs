using DataAccessAudit.Recording;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Configures the recording pipeline: the bounded queue and the background writer every sink shares.</summary>
public static class RecordingBuilderExtensions
{
    /// <summary>Configures the recording pipeline (queue capacity, full mode, durability) in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; they are validated when the host starts.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder ConfigureRecording(this IDataAccessAuditBuilder builder, Action<RecordingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Configures the recording pipeline from a configuration section with the members of
    /// <see cref="RecordingOptions"/> (TimeSpans as <c>d.hh:mm:ss</c>, enums by name). The options are validated when
    /// the host starts; a key the options do not have is an error.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, such as <c>configuration.GetSection("DataAccessAudit:Recording")</c>.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder ConfigureRecording(this IDataAccessAuditBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<RecordingOptions>().BindSection(section, static (configuration, options) => configuration.Bind(options));
        return builder;
    }
}
