using DataAccessAudit.Diagnostics;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

/// <summary>
/// Lets requester and resource ids appear in the audit's traces and logs as keyed pseudonyms (HMAC-SHA256), so an
/// auditor holding the key can link them back while nobody else can.
/// </summary>
/// <remarks>
/// <para>
/// This registers the HMAC redactor of <c>Microsoft.Extensions.Compliance.Redaction</c> for
/// <see cref="AuditTelemetry.IdentifierClassification"/>. The same id always maps to the same token, prefixed with
/// the key id so pseudonyms made with a rotated key are told apart. The options are validated when the host starts:
/// <see cref="HmacRedactorOptions.Key"/> must be base64 of at least 44 characters and
/// <see cref="HmacRedactorOptions.KeyId"/> must be set.
/// </para>
/// <para>
/// Without this (or an equivalent <c>AddRedaction</c> registration for that classification) ids do not appear in
/// telemetry at all. Note that the redaction library holds one HMAC key per container: an app that also uses the HMAC
/// redactor for its own classifications shares the key.
/// </para>
/// </remarks>
public static class PseudonymizationBuilderExtensions
{
    /// <summary>Pseudonymises requester and resource ids in telemetry with an HMAC key set in code.</summary>
    /// <param name="builder">The audit builder.</param>
    /// <param name="configure">Sets <see cref="HmacRedactorOptions.KeyId"/> and <see cref="HmacRedactorOptions.Key"/>; read the key from a secret store, never from source.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder PseudonymizeIdentifiers(this IDataAccessAuditBuilder builder, Action<HmacRedactorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        // The HMAC redactor is still marked experimental (EXTEXP0002) by dotnet/extensions; its keyed pseudonyms are the
        // scheme docs/telemetry.md specifies and auditors' tooling reproduces, so we accept the marker here.
#pragma warning disable EXTEXP0002
        builder.Services.AddRedaction(redaction => redaction.SetHmacRedactor(configure, Identifiers));
#pragma warning restore EXTEXP0002
        return RequireKeyId(builder);
    }

    /// <summary>Pseudonymises requester and resource ids in telemetry with an HMAC key bound from configuration.</summary>
    /// <param name="builder">The audit builder.</param>
    /// <param name="section">A section with <c>KeyId</c> and <c>Key</c>, such as <c>DataAccessAudit:Pseudonyms</c>, fed from a secret store.</param>
    /// <returns>The builder.</returns>
    public static IDataAccessAuditBuilder PseudonymizeIdentifiers(this IDataAccessAuditBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        // Bound here rather than by the redaction library's section overload, which ignores a key it does not know
        // (a misspelt Key reads as a missing one) and throws on the first KeyId that is no number: the section's
        // mistakes are reported together, by path, with the key's own problems when the host starts.
#pragma warning disable EXTEXP0002 // See the other overload.
        builder.Services.AddRedaction(redaction => redaction.SetHmacRedactor(static _ => { }, Identifiers));
#pragma warning restore EXTEXP0002
        builder.Services.AddOptions<HmacRedactorOptions>().BindSection(section, static (configuration, options) => configuration.Bind(options));
        return RequireKeyId(builder);
    }

    private static IDataAccessAuditBuilder RequireKeyId(IDataAccessAuditBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HmacRedactorOptions>, PseudonymKeyIdValidator>());
        return builder;
    }

    private static DataClassificationSet Identifiers => new(AuditTelemetry.IdentifierClassification);
}
